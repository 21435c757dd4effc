// Timer `idle`: one tick of idle scale-down (shared/services/idle.ts). The next tick retries what failed; the
// invocation fails when a step did, so it shows in the host's monitoring.
import type { FunctionDefinition } from './definition';
import type { Services } from './services';

export class IdleTickError extends Error {
  override readonly name = 'IdleTickError';
  readonly code = 'IdleTickFailed';
}

export function createIdleFunction(
  services: () => Promise<Pick<Services, 'idle'>>,
  opts: { schedule: string; now?: () => Date },
): Extract<FunctionDefinition, { trigger: { type: 'timer' } }> {
  return {
    name: 'idle',
    trigger: { type: 'timer', schedule: opts.schedule, runOnStartup: false },
    handler: async (_timer, context) => {
      const report = await (await services()).idle.tick(opts.now?.() ?? new Date());
      const acted = report.clusters.filter((c) => c.action !== 'none');
      if (acted.length)
        context.log(`idle: ${acted.map((c) => `${c.workspace}/${c.cluster} ${c.action} (${c.detail})`).join('; ')}`);
      if (report.failures.length)
        throw new IdleTickError(
          `idle: ${report.failures.length} step(s) failed; the next tick retries. First: ${report.failures[0]}`,
        );
    },
  };
}
