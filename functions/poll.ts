// Timer: one poll tick over every configured workspace (shared/services/poller.ts), which delivers the news of its
// first pass itself (shared/services/handoff.ts). A failing workspace does not fail the tick: it is reported once
// by the poller; the tick fails only when storage itself does.
import type { BackendServices } from './backend-services';
import type { FunctionDefinition } from './definition';

export function createPollFunction(
  services: () => Promise<Pick<BackendServices, 'poller'>>,
  schedule: string,
): Extract<FunctionDefinition, { trigger: { type: 'timer' } }> {
  return {
    name: 'poll',
    trigger: { type: 'timer', schedule, runOnStartup: false },
    handler: async (_timer, context) => {
      const report = await (await services()).poller.tick();
      const events = report.workspaces.reduce((n, w) => n + w.events, 0);
      const failed = report.workspaces.filter((w) => !w.ok).map((w) => w.workspace);
      context.log(
        `poll ${report.at}: ${report.workspaces.length} workspaces, ${events} events` +
          `${failed.length ? `, failing: ${failed.join(', ')}` : ''}`,
      );
    },
  };
}
