// Computes: list and GET (AmlCompute), PATCH of scaleSettings (202 + Azure-AsyncOperation, the body in state
// Updating, as the live service answers), POST listNodes. The scale maps onto the core's: min = max is a manual
// size, anything else the core's auto-scale between them; the idle time is kept by the facade.
import type { ScaleSettings } from '../../../shared/batchai/types';
import { updateScale } from '../core/clusters';
import { getCluster, listClusters } from '../core/lookups';
import { ArmHttpError } from '../rest/arm-error';
import { computeKey, PROVIDER, storeKey, WS, wsKey, type AmlRoute } from './facade';
import { computeView, nodesView } from './views';

const C = `${WS}/computes`;
const IDLE = /^PT(?:\d+H)?(?:\d+M)?(?:\d+S)?$/;

function bad(message: string): never {
  throw new ArmHttpError(400, 'UserError', message);
}

/** The PATCH body's scaleSettings, checked: whole node counts, 0 ≤ min ≤ max, an ISO idle time. */
function scaleSettingsOf(body: unknown): { min: number; max: number; idle?: string } {
  const s = (body as { properties?: { properties?: { scaleSettings?: Record<string, unknown> } } } | undefined)
    ?.properties?.properties?.scaleSettings;
  if (!s || typeof s !== 'object')
    bad('Expected {"properties": {"properties": {"scaleSettings": {"maxNodeCount": n, "minNodeCount": m}}}}.');
  const max = s.maxNodeCount;
  const min = s.minNodeCount ?? 0;
  const whole = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100;
  if (!whole(max) || !whole(min) || (min as number) > (max as number))
    bad(
      `scaleSettings: expected whole numbers 0 <= minNodeCount (${String(min)}) ` +
        `<= maxNodeCount (${String(max)}) <= 100.`,
    );
  const idle = s.nodeIdleTimeBeforeScaleDown;
  if (idle !== undefined && idle !== null && (typeof idle !== 'string' || !IDLE.test(idle) || idle === 'PT'))
    bad(
      `scaleSettings.nodeIdleTimeBeforeScaleDown ${JSON.stringify(idle)}: ` +
        'expected an ISO-8601 duration such as PT120S.',
    );
  return { min: min as number, max: max as number, ...(typeof idle === 'string' ? { idle } : {}) };
}

export const computeRoutes: AmlRoute[] = [
  {
    method: 'GET',
    template: C,
    handler: (f, r) => ({
      status: 200,
      body: { value: listClusters(f.core, wsKey(r)).map((c) => computeView(f, c)), nextLink: null },
    }),
  },
  {
    method: 'GET',
    template: `${C}/{computeName}`,
    handler: (f, r) => ({ status: 200, body: computeView(f, getCluster(f.core, computeKey(r))) }),
  },
  {
    method: 'PATCH',
    template: `${C}/{computeName}`,
    handler: (f, r) => {
      const k = computeKey(r);
      const { min, max, idle } = scaleSettingsOf(r.body);
      const s: ScaleSettings =
        min === max
          ? { manual: { targetNodeCount: max } }
          : { autoScale: { minimumNodeCount: min, maximumNodeCount: max, initialNodeCount: min } };
      const c = updateScale(f.core, k, s);
      if (idle) f.store.saveIdle(storeKey(k, k.cluster), idle);
      const startedAt = f.core.now();
      const delay = f.core.timing.operationDelayMs;
      const base = `${f.baseUrl}/subscriptions/${k.sub}/providers/${PROVIDER}/locations/${f.core.region}`;
      const url = f.ops.start(base, 'computeOperationsStatus', r.apiVersion, () =>
        f.core.now() - startedAt >= delay ? 'Succeeded' : 'InProgress',
      );
      return { status: 202, headers: { 'Azure-AsyncOperation': url }, body: computeView(f, c, 'Updating') };
    },
  },
  {
    method: 'POST',
    template: `${C}/{computeName}/listNodes`,
    handler: (f, r) => ({
      status: 200,
      body: { nodes: nodesView(f.core, getCluster(f.core, computeKey(r))), nextLink: null },
    }),
  },
];
