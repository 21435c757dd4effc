// Pools (= the account workspace's clusters) and the account's node counts. Resizing while auto-scale is on
// is refused with 409, as the service does; auto-scale runs the core's demand-following scale between the
// bounds of the formula (ours, or a constant target).
import { MAX_NODES } from '../quota';
import type { BatchObject, EnableAutoScaleOptions, PoolResizeOptions } from '../../../shared/azurebatch/types';
import type { DeallocationOption, ScaleSettings } from '../../../shared/batchai/types';
import { autoScaleBounds } from '../../../shared/core/autoscale-formula';
import { deleteCluster } from '../core/cascades';
import { putCluster, updateScale } from '../core/clusters';
import { listClusters } from '../core/lookups';
import type { ClusterRec } from '../core/model';
import { BatchHttpError, invalidProperty, missingProperty, notFound } from './batch-http-error';
import { clusterKey, type BatchFacade, type BatchRequest, type Handler } from './facade';
import { accepted, created, listReply, record, requireMatch, updated } from './replies';
import { evaluate } from './autoscale-run';
import { checkPoolSpec } from './pool-spec';
import { entityReply, nodeCountsView, poolView } from './views';

export function poolOf(f: BatchFacade, id: string): ClusterRec {
  const c = f.core.state.cluster(clusterKey(f, id));
  if (!c) throw notFound('Pool', id);
  return c;
}

function count(body: Record<string, unknown>, name: string): number | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > MAX_NODES)
    throw invalidProperty(name, `expected a whole number from 0 to ${MAX_NODES} (the local engine's quota per pool)`);
  return v as number;
}

/**
 * A pool's target: dedicated plus low-priority nodes, each and together within the local quota per pool (a
 * resize to 100 + 100 was 200 nodes).
 */
function target(body: Record<string, unknown>): { dedicated: number; low: number } {
  const dedicated = count(body, 'targetDedicatedNodes') ?? 0;
  const low = count(body, 'targetLowPriorityNodes') ?? 0;
  if (dedicated + low > MAX_NODES)
    throw invalidProperty(
      'targetLowPriorityNodes',
      `expected targetDedicatedNodes + targetLowPriorityNodes at most ${MAX_NODES} ` +
        `(the local engine's quota per pool), got ${dedicated} + ${low}`,
    );
  return { dedicated, low };
}

const DEALLOCATION: Record<string, DeallocationOption> = {
  requeue: 'requeue',
  terminate: 'terminate',
  taskcompletion: 'waitforjobcompletion',
  retaineddata: 'waitforjobcompletion',
};

function boundsOf(formula: unknown): { min: number; max: number } {
  if (typeof formula !== 'string' || !formula.trim()) throw missingProperty('autoScaleFormula');
  const b = autoScaleBounds(formula);
  if (!b || b.min > b.max) {
    throw new BatchHttpError(
      400,
      'AutoScalingFormulaSyntaxError',
      'The local engine scales by bounds it can read: ' +
        "expected the product's formula (minNodes = N; maxNodes = M; ...) or a constant $TargetDedicatedNodes = N.",
    );
  }
  if (b.max > MAX_NODES)
    throw invalidProperty(
      'autoScaleFormula',
      `expected at most ${MAX_NODES} nodes (the local engine's quota per pool)`,
    );
  return b;
}

function autoScaleSettings(b: { min: number; max: number }): ScaleSettings {
  // The core needs a maximum of at least 1; a constant 0 is a pool held at zero.
  return b.max === 0
    ? { manual: { targetNodeCount: 0 } }
    : { autoScale: { minimumNodeCount: b.min, maximumNodeCount: b.max, initialNodeCount: b.min } };
}

function touch(
  f: BatchFacade,
  id: string,
  patch: Partial<NonNullable<ReturnType<BatchFacade['store']['pools']['get']>>>,
): void {
  const cur = f.store.pools.get(id.toLowerCase()) ?? { lastModified: f.core.now() };
  f.store.pools.set(id.toLowerCase(), { ...cur, ...patch, lastModified: f.core.now() });
  f.store.save();
}

const isAuto = (f: BatchFacade, c: ClusterRec): boolean => poolView(f, c).enableAutoScale === true;

const addPool: Handler = (f, r) => {
  const b = record(r.body, 'pool');
  const id = b.id;
  if (typeof id !== 'string' || !/^[\w-]{1,64}$/.test(id))
    throw id === undefined
      ? missingProperty('id')
      : invalidProperty('id', 'expected 1-64 letters, digits, hyphens or underscores');
  if (typeof b.vmSize !== 'string') throw missingProperty('vmSize');
  if (f.core.state.cluster(clusterKey(f, id)))
    throw new BatchHttpError(409, 'PoolExists', 'The specified pool already exists.', [{ key: 'PoolId', value: id }]);
  const { dedicated, low } = target(b);
  const auto = b.enableAutoScale === true;
  const spec = checkPoolSpec(b);
  const scaleSettings = auto
    ? autoScaleSettings(boundsOf(b.autoScaleFormula))
    : { manual: { targetNodeCount: dedicated + low } };
  putCluster(f.core, clusterKey(f, id), {
    vmSize: b.vmSize,
    vmPriority: low > 0 && dedicated === 0 ? 'lowpriority' : 'dedicated',
    scaleSettings,
    userAccountSettings: { adminUserName: 'batch' },
  });
  touch(f, id, {
    spec,
    autoScaleEnabledAt: auto ? f.core.now() : undefined,
    displayName: typeof b.displayName === 'string' ? b.displayName : undefined,
    metadata: b.metadata as never,
    enableAutoScale: auto,
    autoScaleFormula: auto ? String(b.autoScaleFormula) : undefined,
    autoScaleEvaluationInterval:
      typeof b.autoScaleEvaluationInterval === 'string' ? b.autoScaleEvaluationInterval : undefined,
  });
  return created(f, `/pools/${id}`, poolView(f, poolOf(f, id)).eTag);
};

const resize: Handler = (f, r) => {
  const c = poolOf(f, r.params.poolId);
  requireMatch(r, poolView(f, c));
  if (isAuto(f, c)) {
    throw new BatchHttpError(
      409,
      'OperationInvalidForCurrentState',
      'The pool has auto-scale enabled: disable auto-scale before a manual resize.',
      [{ key: 'PoolId', value: c.cluster }],
    );
  }
  const b = record(r.body, 'resizeOptions') as PoolResizeOptions & Record<string, unknown>;
  const { dedicated, low } = target(b);
  const option = b.nodeDeallocationOption === undefined ? 'requeue' : DEALLOCATION[String(b.nodeDeallocationOption)];
  if (!option)
    throw invalidProperty('nodeDeallocationOption', 'expected requeue, terminate, taskcompletion or retaineddata');
  updateScale(f.core, c, { manual: { targetNodeCount: dedicated + low, nodeDeallocationOption: option } });
  touch(f, c.cluster, {});
  return accepted(f, `/pools/${c.cluster}`);
};

const stopResize: Handler = (f, r) => {
  const c = poolOf(f, r.params.poolId);
  requireMatch(r, poolView(f, c));
  if (!isAuto(f, c)) updateScale(f.core, c, { manual: { targetNodeCount: c.currentNodeCount - c.preparingNodeCount } });
  return accepted(f, `/pools/${c.cluster}`);
};

const enableAutoScale: Handler = (f, r) => {
  const c = poolOf(f, r.params.poolId);
  requireMatch(r, poolView(f, c));
  const b = record(r.body, 'enableAutoScaleOptions') as EnableAutoScaleOptions;
  const formula = b.autoScaleFormula ?? f.store.pools.get(c.cluster)?.autoScaleFormula;
  updateScale(f.core, c, autoScaleSettings(boundsOf(formula)));
  touch(f, c.cluster, {
    enableAutoScale: true,
    autoScaleEnabledAt: f.core.now(),
    autoScaleFormula: formula,
    autoScaleEvaluationInterval: b.autoScaleEvaluationInterval,
  });
  return updated(f, `/pools/${c.cluster}`, poolView(f, c).eTag);
};

const disableAutoScale: Handler = (f, r) => {
  const c = poolOf(f, r.params.poolId);
  updateScale(f.core, c, { manual: { targetNodeCount: c.currentNodeCount } });
  touch(f, c.cluster, { enableAutoScale: false, autoScaleEnabledAt: undefined });
  return updated(f, `/pools/${c.cluster}`, poolView(f, c).eTag);
};

const evaluateAutoScale: Handler = (f, r) => {
  const c = poolOf(f, r.params.poolId);
  if (!isAuto(f, c)) {
    throw new BatchHttpError(
      409,
      'OperationInvalidForCurrentState',
      'Auto-scale is not enabled on the pool: a formula can only be evaluated on a pool with auto-scale enabled.',
      [{ key: 'PoolId', value: c.cluster }],
    );
  }
  const b = boundsOf(record(r.body, 'evaluateAutoScaleOptions').autoScaleFormula);
  return entityReply(
    f,
    'Microsoft.Azure.Batch.Protocol.Entities.AutoScaleRun',
    evaluate(f, c, b, f.core.now()) as unknown as BatchObject,
  );
};

const removeNodes: Handler = (f, r) => {
  const c = poolOf(f, r.params.poolId);
  requireMatch(r, poolView(f, c));
  const list = record(r.body, 'removeOptions').nodeList;
  if (!Array.isArray(list) || list.length === 0) throw missingProperty('nodeList');
  if (isAuto(f, c))
    throw new BatchHttpError(
      409,
      'OperationInvalidForCurrentState',
      'The pool has auto-scale enabled: nodes cannot be removed by hand.',
    );
  updateScale(f.core, c, {
    manual: { targetNodeCount: Math.max(0, c.currentNodeCount - list.length), nodeDeallocationOption: 'requeue' },
  });
  return accepted(f, `/pools/${c.cluster}`);
};

function pools(f: BatchFacade): ClusterRec[] {
  return listClusters(f.core, f.ws);
}

export const poolRoutes: Array<[string, string, Handler]> = [
  ['GET', '/pools', (f, r: BatchRequest) => listReply(f, r, 'pools', pools(f), (c) => poolView(f, c))],
  ['POST', '/pools', addPool],
  [
    'GET',
    '/pools/{poolId}',
    (f, r) => {
      const v = poolView(f, poolOf(f, r.params.poolId));
      return entityReply(f, 'pools', requireMatch(r, v, true));
    },
  ],
  [
    'HEAD',
    '/pools/{poolId}',
    (f, r) => ({ ...entityReply(f, 'pools', poolView(f, poolOf(f, r.params.poolId))), json: undefined }),
  ],
  [
    'DELETE',
    '/pools/{poolId}',
    (f, r) => {
      const c = poolOf(f, r.params.poolId);
      requireMatch(r, poolView(f, c));
      deleteCluster(f.core, c);
      return { status: 202 };
    },
  ],
  ['POST', '/pools/{poolId}/resize', resize],
  ['POST', '/pools/{poolId}/stopresize', stopResize],
  ['POST', '/pools/{poolId}/enableautoscale', enableAutoScale],
  ['POST', '/pools/{poolId}/disableautoscale', disableAutoScale],
  ['POST', '/pools/{poolId}/evaluateautoscale', evaluateAutoScale],
  ['POST', '/pools/{poolId}/removenodes', removeNodes],
  [
    'GET',
    '/nodecounts',
    (f, r) => listReply(f, r, 'poolNodeCounts', pools(f), (c) => nodeCountsView(f, c, r.apiVersion)),
  ],
];
