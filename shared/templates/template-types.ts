// A template's types and placeholder syntax, below templates.ts (loading), template-job-shape.ts (the job's
// shape) and template-render.ts (filling it in): none of them imports another for these.
import type { JobBaseProperties, ResourceId } from '../compute/job-file';
import type { TemplateParameter } from './template-params';

/** The job body of a template: cluster and nodeCount may be left to submit time. */
export type TemplateJobProperties = Omit<JobBaseProperties, 'cluster' | 'nodeCount'> & {
  cluster?: ResourceId;
  nodeCount?: number | string;
};

/** How the progress reader treats the template's jobs: its own stall window, the metric its chart follows. */
export interface TemplateProgress {
  stallMinutes?: number;
  metric?: string;
}

export interface Template {
  name: string;
  description?: string;
  parameters: TemplateParameter[];
  job: { properties: TemplateJobProperties };
  progress?: TemplateProgress;
}

/** Placeholders filled from the submit command rather than declared: the cluster id, experiment and job name. */
export const RESERVED_PLACEHOLDERS = ['cluster', 'experiment', 'job'] as const;
export const PLACEHOLDER = /\{\{\s*([A-Za-z_]\w*)\s*\}\}/g;
