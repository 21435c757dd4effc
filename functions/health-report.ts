// What the health functions read: storage reachable, which workspaces are failing to poll (since when, why), and
// how this instance is wired (identities and backend, see setup-summary.ts). The anonymous `health` function
// shows only whether all is well; `health-details` (function key) shows the whole report.
import { toError } from '../shared/errors';
import type { BackendServices } from './backend-services';
import { setupSummary, type SetupSummary } from './setup-summary';
import type { InvocationContext } from '@azure/functions';

export interface HealthReport {
  /** 200 when all is well, 200 "degraded" when a workspace fails, 503 when storage cannot be read. */
  httpStatus: 200 | 503;
  body:
    | { status: 'ok' | 'degraded'; failingWorkspaces: unknown[]; setup: SetupSummary }
    | { status: 'unavailable'; error: string; setup?: SetupSummary };
}

export type HealthServices = () => Promise<Pick<BackendServices, 'backend' | 'config'>>;

export async function healthReport(services: HealthServices, context: InvocationContext): Promise<HealthReport> {
  let setup: SetupSummary | undefined;
  try {
    const s = await services();
    setup = setupSummary(s.config);
    const failing = await s.backend.pollStatus.failing();
    return { httpStatus: 200, body: { status: failing.length ? 'degraded' : 'ok', failingWorkspaces: failing, setup } };
  } catch (e) {
    context.error(`health: ${toError(e).message}`);
    return {
      httpStatus: 503,
      body: { status: 'unavailable', error: 'storage is not reachable', ...(setup ? { setup } : {}) },
    };
  }
}
