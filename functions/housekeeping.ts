// Timer `housekeeping`: deletes the rows of cache and queue tables past their retention (shared/storage/retention.ts),
// a bounded number per table and pass; audit and roles are never touched.
import type { BackendServices } from './backend-services';
import type { FunctionDefinition } from './definition';

export function createHousekeepingFunction(
  services: () => Promise<Pick<BackendServices, 'housekeeping'>>,
  opts: { schedule: string; now?: () => Date },
): Extract<FunctionDefinition, { trigger: { type: 'timer' } }> {
  return {
    name: 'housekeeping',
    trigger: { type: 'timer', schedule: opts.schedule, runOnStartup: false },
    handler: async (_timer, context) => {
      const r = await (await services()).housekeeping.run(opts.now?.() ?? new Date());
      const done = Object.entries(r.tables)
        .filter(([, p]) => p.deleted > 0 || p.failed > 0)
        .map(
          ([t, p]) => `${t} ${p.deleted} deleted${p.failed ? `, ${p.failed} failed` : ''}${p.more ? ' (more)' : ''}`,
        );
      if (done.length > 0 || r.failures.length > 0) {
        const failing = r.failures.length ? `; failing: ${r.failures.join('; ')}` : '';
        context.log(`housekeeping ${r.at}: ${done.join('; ') || 'nothing deleted'}${failing}`);
      }
      // A table whose listing failed fails the invocation, so the host's logs and metrics show it.
      if (r.failures.length > 0) throw new Error(`housekeeping: ${r.failures.length} tables failed`);
    },
  };
}
