// createDefinitions(config): every function from one configuration value, and no service built (or SDK needed)
// until a function is called.
import { HttpRequest, InvocationContext } from '@azure/functions';
import { hasTrigger } from '../../functions/definition';
import { createDefinitions } from '../../functions/index';
import { loadConfig } from '../../shared/config';

const env = {
  COMPUTE_WORKSPACES: 'rg/ws',
  COMPUTE_SUBSCRIPTION_ID: 'sub',
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  POLL_SCHEDULE: '*/7 * * * * *',
  IDLE_SCHEDULE: '0 */9 * * * *',
  EXPIRE_APPROVALS_SCHEDULE: '0 */2 * * * *',
  PROGRESS_SCHEDULE: '*/11 * * * * *',
  HOUSEKEEPING_SCHEDULE: '0 */13 * * * *',
};

test('every function once, with the schedules, queues and routes of the config it was given', () => {
  const defs = createDefinitions(loadConfig(env));
  expect(defs.map((d) => d.name).sort()).toEqual([
    'card-actions',
    'expire-approvals',
    'followups',
    'health',
    'health-details',
    'housekeeping',
    'idle',
    'messages',
    'notify',
    'poll',
    'progress',
    'slack',
    'slack-turns',
  ]);
  const timers = Object.fromEntries(
    defs.flatMap((d) => (hasTrigger(d, 'timer') ? [[d.name, d.trigger.schedule]] : [])),
  );
  expect(timers).toEqual({
    poll: '*/7 * * * * *',
    idle: '0 */9 * * * *',
    'expire-approvals': '0 */2 * * * *',
    progress: '*/11 * * * * *',
    housekeeping: '0 */13 * * * *',
  });
  const queues = Object.fromEntries(
    defs.flatMap((d) => (hasTrigger(d, 'queue') ? [[d.name, d.trigger.queueName]] : [])),
  );
  expect(queues).toEqual({
    notify: 'events',
    followups: 'followups',
    'slack-turns': 'slack-turns',
    'card-actions': 'card-actions',
  });
  const routes = Object.fromEntries(
    defs.flatMap((d) => (hasTrigger(d, 'http') ? [[d.name, `${d.trigger.methods.join(',')} ${d.trigger.route}`]] : [])),
  );
  expect(routes).toEqual({
    messages: 'POST messages',
    slack: 'POST slack/events',
    health: 'GET health',
    'health-details': 'GET health/details',
  });
  const levels = defs.flatMap((d) => (hasTrigger(d, 'http') ? [`${d.name} ${d.trigger.authLevel}`] : []));
  expect(levels.sort()).toEqual([
    'health anonymous',
    'health-details function',
    'messages anonymous',
    'slack anonymous',
  ]);
});

test('defining the functions builds no services: a provider that cannot build is only reached by a call', async () => {
  const calls: string[] = [];
  const unavailable = (part: string) => async (): Promise<never> => {
    calls.push(part);
    throw new Error(`${part} services are unavailable`);
  };
  const defs = createDefinitions(loadConfig(env), {
    backend: unavailable('backend'),
    all: unavailable('all'),
    slackIntake: unavailable('slackIntake'),
  });
  expect(calls).toEqual([]);
  const health = defs.find((d) => d.name === 'health');
  if (!health || !hasTrigger(health, 'http')) throw new Error('no health function');
  const errors: string[] = [];
  const context = new InvocationContext({
    functionName: 'health',
    logHandler: (level, ...args) => {
      if (level === 'error') errors.push(args.join(' '));
    },
  });
  const res = await health.handler(new HttpRequest({ method: 'GET', url: 'http://127.0.0.1/api/health' }), context);
  expect(res.status).toBe(503);
  expect(calls).toEqual(['backend']);
  expect(errors.join('\n')).toMatch(/backend services are unavailable/);
});
