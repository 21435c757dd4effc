// HTTP GET /api/health: storage reachable, which workspaces are failing to poll (since when, why), and how this
// instance is wired (identities and backend, see setup-summary.ts). 200 when all is well, 200 "degraded" when a
// workspace fails, 503 when storage cannot be read.
import type { FunctionDefinition } from './definition';
import { toError } from '../shared/errors';
import type { BackendServices } from './backend-services';
import { setupSummary, type SetupSummary } from './setup-summary';

export function createHealthFunction(
  services: () => Promise<Pick<BackendServices, 'backend' | 'config'>>,
): Extract<FunctionDefinition, { trigger: { type: 'http' } }> {
  return {
    name: 'health',
    trigger: { type: 'http', methods: ['GET'], route: 'health', authLevel: 'anonymous' },
    handler: async (_request, context) => {
      let setup: SetupSummary | undefined;
      try {
        const s = await services();
        setup = setupSummary(s.config);
        const failing = await s.backend.pollStatus.failing();
        return {
          status: 200,
          jsonBody: { status: failing.length ? 'degraded' : 'ok', failingWorkspaces: failing, setup },
        };
      } catch (e) {
        context.error(`health: ${toError(e).message}`);
        return {
          status: 503,
          jsonBody: { status: 'unavailable', error: 'storage is not reachable', ...(setup ? { setup } : {}) },
        };
      }
    },
  };
}
