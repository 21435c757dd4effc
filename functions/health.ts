// HTTP GET /api/health, anonymous: ok (200) or not ok (503: storage unreachable, or a workspace failing to
// poll), and nothing else. Anyone can reach it, so it names no identity, tenant, endpoint or workspace; the
// report behind the function key (health-details.ts) says which and why.
import type { FunctionDefinition } from './definition';
import { healthReport, type HealthServices } from './health-report';

export function createHealthFunction(
  services: HealthServices,
): Extract<FunctionDefinition, { trigger: { type: 'http' } }> {
  return {
    name: 'health',
    trigger: { type: 'http', methods: ['GET'], route: 'health', authLevel: 'anonymous' },
    handler: async (_request, context) => {
      const report = await healthReport(services, context);
      const ok = report.body.status === 'ok';
      return { status: ok ? 200 : 503, jsonBody: { status: ok ? 'ok' : 'not ok' } };
    },
  };
}
