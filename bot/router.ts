// The dispatch table: every command kind has exactly one handler (the type makes a missing one a compile error).
import type { HandlerTable } from './handler';
import { approve, keepUp, reject } from './handlers/approvals';
import { audit } from './handlers/audit';
import { roles, rolesGrant, rolesRevoke } from './handlers/roles';
import { cluster, clusters } from './handlers/clusters';
import { logs, outputs } from './handlers/files';
import { help } from './handlers/help';
import { job, jobs } from './handlers/jobs';
import { keepWaiting } from './handlers/keep-waiting';
import { use } from './handlers/prefs';
import { autoscale, resize, scaleToZero } from './handlers/scale';
import { subscribe, subscriptions, unsubscribe } from './handlers/subscriptions';
import { submit, template, templates } from './handlers/templates';
import { terminate } from './handlers/terminate';

export const handlers: HandlerTable = {
  help,
  clusters,
  cluster,
  jobs,
  job,
  logs,
  outputs,
  templates,
  template,
  submit,
  resize,
  autoscale,
  'scale-to-zero': scaleToZero,
  terminate,
  subscribe,
  unsubscribe,
  subscriptions,
  use,
  approve,
  reject,
  'keep-up': keepUp,
  'keep-waiting': keepWaiting,
  roles,
  'roles-grant': rolesGrant,
  'roles-revoke': rolesRevoke,
  audit,
};
