// A pool as the client added it: what the engine does not compute itself (image reference, node agent SKU,
// networking, task slots and scheduling policy, tags, ...) reads back as given, as on the service. What a
// pool would have to do on its nodes and this machine cannot (a start task, certificates, application
// packages, storage mounts) is refused with the service's error body instead of being kept and ignored.
import { invalidProperty } from './batch-http-error';

/** Kept by the engine itself (the cluster record, the facade's store), never echoed from the body. */
const COMPUTED = new Set([
  'id',
  'displayName',
  'vmSize',
  'targetDedicatedNodes',
  'targetLowPriorityNodes',
  'enableAutoScale',
  'autoScaleFormula',
  'autoScaleEvaluationInterval',
  'metadata',
]);

const REFUSED: Record<string, string> = {
  startTask: 'the local engine runs no start task on its nodes: put the setup in the job preparation task',
  certificateReferences: 'the local engine installs no certificates',
  applicationPackageReferences: 'the local engine has no application packages: fetch files with resourceFiles',
  mountConfiguration: 'the local engine mounts no storage on a pool: fetch files with resourceFiles',
};

/** Throws for what cannot run here; returns the properties to read back as given. */
export function checkPoolSpec(body: Record<string, unknown>): Record<string, unknown> {
  for (const [name, reason] of Object.entries(REFUSED)) {
    const v = body[name];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) throw invalidProperty(name, reason);
  }
  return Object.fromEntries(Object.entries(body).filter(([k]) => !COMPUTED.has(k)));
}
