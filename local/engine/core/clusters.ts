// Clusters: nodes are slots on this machine. Scale settings pick a target; allocation moves the node count
// toward it with a delay (new nodes are 'preparing', removed ones 'leaving'); auto-scale follows the demand of
// queued and running jobs and gives idle nodes back after an idle window.
import type { ClusterBaseProperties, NodeStateCounts, ScaleSettings } from '../../../shared/batchai/types';
import type { Core } from './core';
import { deletingConflict, invalidContent } from './errors';
import { getCluster, getWorkspace } from './lookups';
import type { ClusterKey, ClusterRec } from './model';
import { checkMountVolumes } from './mounts';
import { scrub } from './secrets';

function checkScaleSettings(s: ScaleSettings | undefined): void {
  if (!s) return;
  if (s.manual && s.autoScale)
    throw invalidContent('scaleSettings names both manual and autoScale: expected one of them.');
  if (s.manual && s.manual.targetNodeCount < 0)
    throw invalidContent('scaleSettings.manual.targetNodeCount must be 0 or more.');
  if (s.autoScale) {
    const a = s.autoScale;
    if (a.minimumNodeCount < 0 || a.maximumNodeCount < 1 || a.minimumNodeCount > a.maximumNodeCount) {
      throw invalidContent(
        `scaleSettings.autoScale: expected 0 <= minimumNodeCount (${a.minimumNodeCount}) ` +
          `<= maximumNodeCount (${a.maximumNodeCount}) and maximumNodeCount >= 1.`,
      );
    }
    const init = a.initialNodeCount ?? 0;
    if (init < 0 || init > a.maximumNodeCount)
      throw invalidContent(
        `scaleSettings.autoScale.initialNodeCount must be between 0 and maximumNodeCount (${a.maximumNodeCount}).`,
      );
  }
}

/** Scale settings as stored: exactly one of manual or autoScale, with the service's defaults filled in. */
function withScaleDefaults(s: ScaleSettings | undefined): ScaleSettings {
  if (s?.autoScale) return { autoScale: { ...s.autoScale, initialNodeCount: s.autoScale.initialNodeCount ?? 0 } };
  return {
    manual: {
      targetNodeCount: s?.manual?.targetNodeCount ?? 0,
      nodeDeallocationOption: s?.manual?.nodeDeallocationOption ?? 'requeue',
    },
  };
}

/** Creates a cluster (`created: true`) or returns the existing one: a cluster's properties cannot change by PUT. */
export function putCluster(
  core: Core,
  k: ClusterKey,
  props: ClusterBaseProperties,
): { rec: ClusterRec; created: boolean } {
  const w = getWorkspace(core, k);
  if (w.provisioningState === 'deleting') throw deletingConflict('workspace', k.ws);
  const existing = core.state.cluster(k);
  if (existing) return { rec: existing, created: false };
  checkScaleSettings(props.scaleSettings);
  checkMountVolumes(core.dataDir, props.nodeSetup?.mountVolumes, 'nodeSetup.mountVolumes');
  const scaleSettings = withScaleDefaults(props.scaleSettings);
  const now = core.now();
  const rec: ClusterRec = {
    ...k,
    props: { ...scrub(props), vmPriority: props.vmPriority ?? 'dedicated', scaleSettings },
    creationTime: now,
    provisioningState: 'creating',
    provisioningStateTransitionTime: now,
    allocationState: 'steady',
    allocationStateTransitionTime: now,
    currentNodeCount: 0,
    preparingNodeCount: 0,
    leavingNodeCount: 0,
    initialPending: scaleSettings.autoScale !== undefined,
  };
  core.state.saveCluster(rec);
  core.defer('create', core.timing.operationDelayMs, () => {
    const cur = core.state.cluster(k);
    if (cur?.provisioningState === 'creating')
      core.state.saveCluster({ ...cur, provisioningState: 'succeeded', provisioningStateTransitionTime: core.now() });
  });
  return { rec, created: true };
}

/** PATCH: new scale settings; the allocation toward the new target starts at once ('resizing'). */
export function updateScale(core: Core, k: ClusterKey, s: ScaleSettings): ClusterRec {
  const c = getCluster(core, k);
  checkScaleSettings(s);
  if (!s.manual && !s.autoScale) throw invalidContent('scaleSettings: expected manual or autoScale.');
  const rec: ClusterRec = {
    ...c,
    props: { ...c.props, scaleSettings: withScaleDefaults(s) },
    initialPending: false,
    idleSince: undefined,
  };
  if (rec.provisioningState === 'succeeded' && desiredNodeCount(core, rec) !== rec.currentNodeCount) {
    rec.allocationState = 'resizing';
    rec.allocationStateTransitionTime = core.now();
  }
  core.state.saveCluster(rec);
  core.kick();
  return rec;
}

/** Nodes busy with running (or terminating) jobs. */
function busyNodes(core: Core, c: ClusterKey): number {
  let n = 0;
  for (const j of core.state.activeJobs(c))
    if (j.executionState === 'running' || j.executionState === 'terminating') n += j.props.nodeCount;
  return n;
}

export function idleNodes(core: Core, c: ClusterRec): number {
  return Math.max(0, c.currentNodeCount - c.preparingNodeCount - c.leavingNodeCount - busyNodes(core, c));
}

export function nodeStateCounts(core: Core, c: ClusterRec): Required<NodeStateCounts> {
  return {
    idleNodeCount: idleNodes(core, c),
    runningNodeCount: Math.min(busyNodes(core, c), c.currentNodeCount),
    preparingNodeCount: c.preparingNodeCount,
    leavingNodeCount: c.leavingNodeCount,
    unusableNodeCount: 0,
  };
}

/** The most nodes the cluster can ever have under its scale settings (a bigger gang job waits forever). */
export function maxNodes(c: ClusterRec): number {
  const s = c.props.scaleSettings;
  return s?.autoScale ? s.autoScale.maximumNodeCount : (s?.manual?.targetNodeCount ?? 0);
}

/** Manual scale-down: how many busy nodes stand between the cluster and its target (no nodes leave yet). */
export function scaleDownShortfall(core: Core, c: ClusterRec): number {
  if (c.props.scaleSettings?.autoScale || c.allocationDoneAt !== undefined) return 0;
  const excess = c.currentNodeCount - desiredNodeCount(core, c);
  return excess > 0 ? excess - idleNodes(core, c) : 0;
}

function desiredNodeCount(core: Core, c: ClusterRec): number {
  const s = c.props.scaleSettings;
  if (!s?.autoScale) return s?.manual?.targetNodeCount ?? 0;
  const a = s.autoScale;
  if (c.initialPending) return a.initialNodeCount ?? 0;
  let demand = 0;
  for (const j of core.state.activeJobs(c))
    if (j.provisioningState !== 'deleting' && j.props.nodeCount <= a.maximumNodeCount) demand += j.props.nodeCount;
  return Math.min(a.maximumNodeCount, Math.max(a.minimumNodeCount, demand));
}

/** One allocation step: finish a due resize, or start one toward the target. Returns the record if it changed. */
export function allocate(core: Core, c: ClusterRec): ClusterRec | undefined {
  if (c.provisioningState !== 'succeeded') return undefined;
  const now = core.now();
  const next: ClusterRec = { ...c };
  if (next.allocationDoneAt !== undefined) {
    if (now < next.allocationDoneAt || core.holds.isHeld('allocation')) return undefined;
    next.currentNodeCount -= next.leavingNodeCount;
    next.leavingNodeCount = 0;
    next.preparingNodeCount = 0;
    next.allocationDoneAt = undefined;
    next.initialPending = false;
  }
  // Auto-scale's first allocation goes to initialNodeCount; once there (or if it is the start), demand rules.
  if (
    next.initialPending &&
    next.allocationDoneAt === undefined &&
    next.currentNodeCount === desiredNodeCount(core, next)
  )
    next.initialPending = false;
  const target = desiredNodeCount(core, next);
  const auto = next.props.scaleSettings?.autoScale !== undefined;
  if (target > next.currentNodeCount) {
    next.preparingNodeCount = target - next.currentNodeCount;
    next.currentNodeCount = target;
    next.allocationDoneAt = now + core.timing.allocationDelayMs;
    next.idleSince = undefined;
  } else if (target < next.currentNodeCount) {
    // Auto-scale gives nodes back only after they have been idle for a while; manual scale-down is immediate.
    if (auto && next.idleSince === undefined) next.idleSince = now;
    const idleLongEnough = !auto || now - (next.idleSince ?? now) >= core.timing.allocationDelayMs;
    const removable = Math.min(next.currentNodeCount - target, idleNodes(core, next));
    if (idleLongEnough && removable > 0) {
      next.leavingNodeCount = removable;
      next.allocationDoneAt = now + core.timing.allocationDelayMs;
    }
  } else {
    next.idleSince = undefined;
  }
  const resizing = next.allocationDoneAt !== undefined || (!auto && target !== next.currentNodeCount);
  const allocationState = resizing ? 'resizing' : 'steady';
  if (allocationState !== next.allocationState) {
    next.allocationState = allocationState;
    next.allocationStateTransitionTime = now;
  }
  if (JSON.stringify(next) === JSON.stringify(c)) return undefined;
  return next;
}
