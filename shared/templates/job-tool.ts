// The one tool a Batch AI job names (exactly one of the nine *Settings), for the engine and the Azure Batch
// translation alike.
import type { JobBaseProperties } from '../compute/job-file';
import { InputError } from '../errors';

export const TOOL_KEYS = [
  'customToolkitSettings',
  'pyTorchSettings',
  'tensorFlowSettings',
  'horovodSettings',
  'customMpiSettings',
  'chainerSettings',
  'cntkSettings',
  'caffeSettings',
  'caffe2Settings',
] as const;
export type ToolKey = (typeof TOOL_KEYS)[number];

/** The one tool a job names; none or several is an InputError saying which were found. */
export function toolKeyOf(p: JobBaseProperties): ToolKey {
  const present = TOOL_KEYS.filter((k) => p[k] !== undefined && p[k] !== null);
  if (present.length !== 1) {
    throw new InputError(
      'JobNotTranslatable',
      present.length === 0
        ? `The job names no tool: expected exactly one of ${TOOL_KEYS.join(', ')}.`
        : `The job names ${present.length} tools (${present.join(', ')}): expected exactly one.`,
    );
  }
  return present[0];
}
