// Timer `progress`: one tick of the progress reader (bot/progress-reader.ts), on its own schedule and request
// budget, apart from the poll tick. A job that could not be looked at is retried by the next tick; the
// invocation fails when one did, so it shows in the host's monitoring.
import type { FunctionDefinition } from './definition';
import type { Services } from './services';

export class ProgressTickError extends Error {
  override readonly name = 'ProgressTickError';
  readonly code = 'ProgressTickFailed';
}

export function createProgressFunction(
  services: () => Promise<Pick<Services, 'progressReader'>>,
  schedule: string,
): Extract<FunctionDefinition, { trigger: { type: 'timer' } }> {
  return {
    name: 'progress',
    trigger: { type: 'timer', schedule, runOnStartup: false },
    handler: async (_timer, context) => {
      const r = await (await services()).progressReader.tick();
      if (r.looked)
        context.log(
          `progress: ${r.looked}/${r.watched} watched jobs looked at, ${r.requests} requests, ` +
            `${r.updated} cards updated, ${r.stuck} stuck alerts, ${r.ended} ended`,
        );
      if (r.failures.length)
        throw new ProgressTickError(
          `progress: ${r.failures.length} job(s) failed; next tick retries. First: ${r.failures[0]}`,
        );
    },
  };
}
