// Azure ML resources in the compute port's model (pure): an AmlCompute → ComputeCluster, a command job →
// ComputeJob. Job names: Azure ML's are unique per workspace, the product's per experiment, so the product's job
// `j` of experiment `e` is the Azure ML job `e--j` (experimentName `e` kept as the label); a job made elsewhere
// keeps its own name.
import type { ComputeCluster, ComputeJob, JobState, ScaleMode, ServiceError } from '../compute/model';
import { lastSegment } from '../core/arm-names';
import type { ComputeResource, ErrorDetail, JobResource, RunDetails, ScaleSettings } from './types';

/** Between the experiment and the job in a derived name: `--` cannot end or start either (names are `[-\w]`). */
const SEPARATOR = '--';
/** The tag a translated job carries with the Batch AI tool its command came from. */
export const TOOL_TAG = 'chatops-tool';
/** Azure ML adds an output named `default` (the run's artifacts) to every job: not one of the job file's. */
const DEFAULT_OUTPUT = 'default';

/** Azure ML's job name for the product's job `job` of `experiment`. */
export function amlJobName(experiment: string, job: string): string {
  return `${experiment}${SEPARATOR}${job}`;
}

/** The product's name of an Azure ML job: the derived prefix dropped when it is there. */
export function productJobName(amlName: string, experiment: string): string {
  const prefix = `${experiment}${SEPARATOR}`.toLowerCase();
  return amlName.toLowerCase().startsWith(prefix) ? amlName.slice(prefix.length) : amlName;
}

const QUEUED = new Set(['notstarted', 'starting', 'provisioning', 'preparing', 'queued', 'scheduled']);

/**
 * Azure ML's JobStatus in the port's states. Running, Finalizing, CancelRequested, NotResponding, Paused, Unknown and
 * any status added later are `running`: none of them is final, so a job is never reported ended too early.
 */
export function jobStateOf(status: string | null | undefined): JobState {
  const s = (status ?? 'NotStarted').toLowerCase();
  if (QUEUED.has(s)) return 'queued';
  if (s === 'completed') return 'succeeded';
  if (s === 'failed') return 'failed';
  if (s === 'canceled' || s === 'cancelled') return 'terminated';
  return 'running';
}

/** Seconds of an ISO-8601 duration of days, hours, minutes and seconds (PT120S, PT5M, P1DT2H); undefined if not one. */
export function durationSeconds(text: string | null | undefined): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text ?? '');
  if (!m || text === 'P' || /T$/i.test(text ?? '')) return undefined;
  const [d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
  return ((d! * 24 + h!) * 60 + min!) * 60 + s!;
}

function errorsOf(list: Array<{ error?: ErrorDetail | null }> | null | undefined): ServiceError[] {
  return (list ?? []).map((e) => ({ code: e.error?.code ?? 'Error', message: e.error?.message ?? '' }));
}

/** min = max is a fixed size (a resize); anything else is the service's own auto-scale between them. */
export function scaleModeOf(s: ScaleSettings | null | undefined, current: number): ScaleMode {
  if (!s) return { mode: 'manual', targetNodeCount: current };
  const min = s.minNodeCount ?? 0;
  return min === s.maxNodeCount ? { mode: 'manual', targetNodeCount: min } : { mode: 'auto', min, max: s.maxNodeCount };
}

/** Lenient: runtime fields are null while a compute is being created; they read as zero nodes, steady. */
export function clusterOf(r: ComputeResource): ComputeCluster {
  const c = r.properties ?? { computeType: 'AmlCompute' };
  const p = c.properties ?? {};
  const n = p.nodeStateCounts ?? {};
  const current = p.currentNodeCount ?? 0;
  const cluster: ComputeCluster = {
    id: r.id ?? '',
    name: r.name ?? lastSegment(r.id) ?? '',
    vmSize: p.vmSize ?? '',
    allocationState: p.allocationState === 'Resizing' ? 'resizing' : 'steady',
    currentNodeCount: current,
    nodes: {
      idle: n.idleNodeCount ?? 0,
      running: n.runningNodeCount ?? 0,
      preparing: n.preparingNodeCount ?? 0,
      leaving: n.leavingNodeCount ?? 0,
      unusable: (n.unusableNodeCount ?? 0) + (n.preemptedNodeCount ?? 0),
    },
    scale: scaleModeOf(p.scaleSettings, current),
    errors: [...errorsOf(c.provisioningErrors), ...errorsOf(p.errors)],
  };
  if (p.vmPriority) cluster.vmPriority = p.vmPriority.toLowerCase();
  if (p.allocationStateTransitionTime) cluster.allocationChangedAt = p.allocationStateTransitionTime;
  if (c.createdOn) cluster.createdAt = c.createdOn;
  const idle = durationSeconds(p.scaleSettings?.nodeIdleTimeBeforeScaleDown);
  if (idle !== undefined) cluster.idleSeconds = idle;
  return cluster;
}

const TOOL_TYPES = new Set<string>([
  'cntk',
  'tensorflow',
  'caffe',
  'caffe2',
  'chainer',
  'horovod',
  'custommpi',
  'custom',
]);

export function jobOf(r: JobResource): ComputeJob {
  const p = r.properties;
  const experiment = p.experimentName ?? 'Default';
  const amlName = r.name ?? lastSegment(r.id) ?? '';
  const state = jobStateOf(p.status);
  const tool = p.tags?.[TOOL_TAG] ?? 'custom';
  const job: ComputeJob = {
    id: r.id ?? '',
    name: productJobName(amlName, experiment),
    experiment,
    state,
    cluster: lastSegment(p.computeId ?? undefined) ?? '',
    nodeCount: p.resources?.instanceCount ?? 1,
    toolType: TOOL_TYPES.has(tool) ? tool : 'custom',
    errors: state === 'failed' ? [{ code: 'JobFailed', message: `The Azure ML job ${amlName} failed.` }] : [],
    outputDirectoryIds: Object.keys(p.outputs ?? {}).filter((k) => k !== DEFAULT_OUTPUT),
  };
  if (job.name !== amlName) job.serviceName = amlName;
  if (r.systemData?.createdAt) job.createdAt = r.systemData.createdAt;
  return job;
}

const EXIT_STATUS = /exited with (?:status )?code (-?\d+)/i;

/**
 * A job with what run history adds: when it ran, how it failed (the service's message) and its exit code (named in
 * that message; 0 for a completed run). The ARM job resource carries none of these.
 */
export function withRunDetails(job: ComputeJob, d: RunDetails): ComputeJob {
  const out: ComputeJob = { ...job };
  if (d.startTimeUtc) out.startedAt = d.startTimeUtc;
  if (d.endTimeUtc && isFinal(job.state)) out.endedAt = d.endTimeUtc;
  const e = d.error?.error;
  if (job.state === 'failed' && e?.message) out.errors = [{ code: e.code ?? 'JobFailed', message: e.message }];
  const code = e?.message ? EXIT_STATUS.exec(e.message)?.[1] : undefined;
  if (code !== undefined) out.exitCode = Number(code);
  else if (job.state === 'succeeded') out.exitCode = 0;
  return out;
}

const isFinal = (s: JobState): boolean => s === 'succeeded' || s === 'failed' || s === 'terminated';
