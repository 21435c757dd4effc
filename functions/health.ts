// HTTP GET /api/health: storage reachable, and which workspaces are failing to poll (since when, why).
// 200 when all is well, 200 "degraded" when a workspace fails, 503 when storage cannot be read.
import type { FunctionDefinition } from './definition';
import { toError } from '../shared/errors';
import { getServices, type Services } from './services';

export function createHealthFunction(services: () => Promise<Pick<Services, 'backend'>>): Extract<FunctionDefinition, { trigger: { type: 'http' } }> {
  return {
    name: 'health',
    trigger: { type: 'http', methods: ['GET'], route: 'health', authLevel: 'anonymous' },
    handler: async (_request, context) => {
      try {
        const failing = await (await services()).backend.pollStatus.failing();
        return { status: 200, jsonBody: { status: failing.length ? 'degraded' : 'ok', failingWorkspaces: failing } };
      } catch (e) {
        context.error(`health: ${toError(e).message}`);
        return { status: 503, jsonBody: { status: 'unavailable', error: 'storage is not reachable' } };
      }
    },
  };
}

export const healthFunction: FunctionDefinition = createHealthFunction(getServices);
