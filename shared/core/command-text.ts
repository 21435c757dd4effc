// Command → the text that parses back to it. Buttons carry command text (views.ts ActionView), so builders
// write `commandText({ kind: 'logs', ... })` instead of hand-assembling strings.
import type { Command, JobName } from './commands';
import { quoteValue } from './tokenize';

export const jobText = (j: JobName) => (j.experiment ? `${j.experiment}/${j.job}` : j.job);

const flag = (name: string, value: string | number | undefined) =>
  value === undefined ? [] : [`--${name}`, quoteValue(String(value))];
const bool = (name: string, on: boolean | undefined) => (on ? [`--${name}`] : []);
const opt = (value: string | number | undefined) => (value === undefined ? [] : [quoteValue(String(value))]);

function words(c: Command): Array<string | number> {
  switch (c.kind) {
    case 'help':
      return ['help', ...opt(c.topic)];
    case 'clusters':
    case 'templates':
    case 'subscriptions':
      return [c.kind];
    case 'cluster':
    case 'scale-to-zero':
      return [c.kind, c.cluster];
    case 'jobs':
      return ['jobs', ...opt(c.experiment), ...flag('state', c.state), ...bool('mine', c.mine)];
    case 'job':
      return ['job', jobText(c.job)];
    case 'logs':
      return ['logs', jobText(c.job), ...flag('lines', c.lines), ...bool('stderr', c.stderr)];
    case 'outputs':
      return ['outputs', jobText(c.job), ...opt(c.directory)];
    case 'template':
      return ['template', c.template];
    case 'submit':
      return [
        'submit',
        c.template,
        ...Object.entries(c.params).map(([k, v]) => `${k}=${quoteValue(v)}`),
        ...flag('cluster', c.cluster),
        ...flag('experiment', c.experiment),
        ...flag('name', c.name),
        ...bool('dry-run', c.dryRun),
      ];
    case 'resize':
      return ['resize', c.cluster, c.nodes];
    case 'autoscale':
      return ['autoscale', c.cluster, c.min, c.max];
    case 'terminate':
      return ['terminate', jobText(c.job), ...bool('yes', c.confirmed)];
    case 'subscribe': {
      const f = c.filter;
      return [
        'subscribe',
        ...flag('experiment', f.experiment),
        ...flag('cluster', f.cluster),
        ...flag('job', f.job),
        ...bool('mine', c.mine),
        ...flag('states', f.states?.join(',')),
      ];
    }
    case 'unsubscribe':
      return ['unsubscribe', ...opt(c.id)];
    case 'use':
      return ['use', c.what, c.name];
    case 'approve':
    case 'reject':
      return [c.kind, c.approval];
    case 'keep-up':
      return ['keep-up', c.cluster, c.hours];
    case 'keep-waiting':
      return ['keep-waiting', jobText(c.job)];
    case 'roles':
      return ['roles'];
    case 'roles-grant':
      return ['roles', 'grant', c.user, c.role, ...flag('workspace', c.workspace)];
    case 'roles-revoke':
      return ['roles', 'revoke', c.user, ...flag('workspace', c.workspace)];
    case 'audit':
      return ['audit', c.count, ...flag('user', c.user), ...flag('cluster', c.cluster)];
  }
}

export function commandText(c: Command): string {
  return words(c).join(' ');
}
