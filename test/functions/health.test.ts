// Anonymous /api/health says ok or not ok and nothing else; /api/health/details (function key) says why.
import { HttpRequest, InvocationContext } from '@azure/functions';
import { createHealthFunction } from '../../functions/health';
import { createHealthDetailsFunction } from '../../functions/health-details';
import type { HealthServices } from '../../functions/health-report';
import { loadConfig } from '../../shared/config';

const config = loadConfig({
  COMPUTE_WORKSPACES: 'rg/ws',
  COMPUTE_SUBSCRIPTION_ID: 'sub',
  AzureWebJobsStorage__accountName: 'acct',
  AzureWebJobsStorage__clientId: '0c2c4f6e-5a7b-4b8e-9d41-1f2e3d4c5b6a',
  MicrosoftAppType: 'UserAssignedMSI',
  MicrosoftAppId: '0c2c4f6e-5a7b-4b8e-9d41-1f2e3d4c5b6a',
  MicrosoftAppTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
});
const failing =
  (list: unknown[]): HealthServices =>
  async () =>
    ({ config, backend: { pollStatus: { failing: async () => list } } }) as unknown as Awaited<
      ReturnType<HealthServices>
    >;
const unreachable: HealthServices = async () => {
  throw new Error('storage is down');
};
const call = (fn: ReturnType<typeof createHealthFunction>) =>
  fn.handler(new HttpRequest({ url: 'http://x/api/health', method: 'GET' }), new InvocationContext());

test('anonymous: 200 ok, or 503 not ok; never an identity, tenant, endpoint or workspace', async () => {
  expect(await call(createHealthFunction(failing([])))).toEqual({ status: 200, jsonBody: { status: 'ok' } });
  const failure = [{ workspace: 'rg/ws', since: '2026-12-01T00:00:00Z', error: 'AuthorizationFailed' }];
  expect(await call(createHealthFunction(failing(failure)))).toEqual({ status: 503, jsonBody: { status: 'not ok' } });
  expect(await call(createHealthFunction(unreachable))).toEqual({ status: 503, jsonBody: { status: 'not ok' } });
});

test('details, behind the function key: the backend, its workspaces, identities and failing workspaces', async () => {
  const failure = [{ workspace: 'rg/ws', since: '2026-12-01T00:00:00Z', error: 'AuthorizationFailed' }];
  const details = createHealthDetailsFunction(failing(failure));
  expect(details.trigger).toMatchObject({ route: 'health/details', authLevel: 'function' });
  const r = await call(details);
  expect(r).toMatchObject({
    status: 200,
    jsonBody: { status: 'degraded', failingWorkspaces: failure, setup: { workspaces: ['rg/ws'] } },
  });
  expect(JSON.stringify(r.jsonBody)).toContain('0c2c4f6e-5a7b-4b8e-9d41-1f2e3d4c5b6a');
  expect(await call(createHealthDetailsFunction(unreachable))).toMatchObject({
    status: 503,
    jsonBody: { status: 'unavailable' },
  });
});
