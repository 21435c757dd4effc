// HTTP GET /api/health/details, behind the function key (`?code=` or `x-functions-key`): the whole health
// report (health-report.ts): which backend and account or workspace this instance reaches, with which
// identities, and which workspaces fail to poll since when and why. Identifiers only, never a secret.
import type { FunctionDefinition } from './definition';
import { healthReport, type HealthServices } from './health-report';

export function createHealthDetailsFunction(
  services: HealthServices,
): Extract<FunctionDefinition, { trigger: { type: 'http' } }> {
  return {
    name: 'health-details',
    trigger: { type: 'http', methods: ['GET'], route: 'health/details', authLevel: 'function' },
    handler: async (_request, context) => {
      const report = await healthReport(services, context);
      return { status: report.httpStatus, jsonBody: report.body };
    },
  };
}
