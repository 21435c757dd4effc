// What the local account cannot do for real, refused in the service's error body rather than kept and
// ignored: a client that was told "no" can change course; one that was told "yes" waits for something that
// never happens. Parts of a job or task that would not run (a job manager or release task, task dependencies,
// application packages) are refused as property values; whole features (certificates, job schedules, a
// node's remote login) as operations.
import { BatchHttpError, invalidProperty } from './batch-http-error';

export function featureNotSupported(what: string, instead: string): BatchHttpError {
  return new BatchHttpError(
    400,
    'FeatureNotSupported',
    `The local Batch account does not support ${what}: ${instead}.`,
    [{ key: 'Reason', value: `${what} cannot run on this machine` }],
  );
}

const JOB: Record<string, string> = {
  jobManagerTask: 'the local engine runs no job manager task: add the tasks yourself',
  jobReleaseTask: 'the local engine runs no job release task: clean up in the last task',
};

const TASK: Record<string, string> = {
  dependsOn: 'the local engine runs tasks without dependencies: add a task once the one it needs has completed',
  applicationPackageReferences: 'the local engine has no application packages: fetch files with resourceFiles',
  authenticationTokenSettings: 'the local engine issues no authentication tokens',
};

function refuse(body: Record<string, unknown>, table: Record<string, string>, at = ''): void {
  for (const [name, reason] of Object.entries(table)) {
    const v = body[name];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
      throw invalidProperty(`${at}${name}`, reason);
  }
}

export function checkJobSpec(body: Record<string, unknown>): void {
  refuse(body, JOB);
  if (body.usesTaskDependencies === true) throw invalidProperty('usesTaskDependencies', TASK.dependsOn);
  const prep = body.jobPreparationTask as Record<string, unknown> | undefined;
  if (prep && typeof prep === 'object')
    refuse(prep, { resourceFiles: 'fetch them in the tasks (resourceFiles)' }, 'jobPreparationTask.');
}

export function checkTaskSpec(body: Record<string, unknown>): void {
  refuse(body, TASK);
  const multi = body.multiInstanceSettings as Record<string, unknown> | undefined;
  if (multi && typeof multi === 'object')
    refuse(multi, { commonResourceFiles: "give them as the task's resourceFiles" }, 'multiInstanceSettings.');
}
