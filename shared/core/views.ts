// Neutral view models: what an operation or an alert wants to show, with no Teams or Slack JSON in it.
// cards/ renders each of these for every channel. Times are ISO-8601 strings; durations in seconds.
import type { NodeCounts, ScaleMode, ServiceError } from '../compute/model';
import type { CommandKind, JobState, SubscriptionFilter } from './commands';

/** A button: it sends this command text back, as if typed. */
export interface ActionView {
  title: string;
  command: string;
  style?: 'positive' | 'destructive';
}

export type ErrorItem = ServiceError;

/** What the backend calls a workspace and a cluster ("Account" and "Pool" on Azure Batch). */
export interface ResourceLabels {
  workspace: string;
  cluster: string;
}

/** Batch AI's names: a view without `labels` uses these. */
export const DEFAULT_LABELS: ResourceLabels = { workspace: 'Workspace', cluster: 'Cluster' };

export const labelsOf = (v: { labels?: ResourceLabels }): ResourceLabels => v.labels ?? DEFAULT_LABELS;

/**
 * `{ labels }` where they differ from the default, so Batch AI's views (and rows stored from them) stay as
 * they were.
 */
export function labelled(labels: ResourceLabels | undefined): { labels?: ResourceLabels } {
  if (!labels || (labels.workspace === DEFAULT_LABELS.workspace && labels.cluster === DEFAULT_LABELS.cluster))
    return {};
  return { labels: { workspace: labels.workspace, cluster: labels.cluster } };
}

export interface JobSummaryView {
  workspace: string;
  labels?: ResourceLabels;
  experiment: string;
  name: string;
  /** The service's own name of the job, where it differs (a card says so). */
  serviceName?: string;
  state: JobState;
  cluster: string;
  nodeCount: number;
  toolType?: string;
  priority?: string;
  createdAt?: string;
  startedAt?: string;
  endedAt?: string;
  durationSeconds?: number;
  exitCode?: number;
  errors: ErrorItem[];
  /** Chat user who submitted it, if known. */
  submittedBy?: string;
}

export interface LogTailView {
  file: string;
  lines: string[];
  /** Earlier content exists that is not shown. */
  truncated: boolean;
  /** Size of the whole file in bytes. */
  size: number;
}

export interface OutputFileView {
  name: string;
  url: string;
  size?: number;
  isDirectory: boolean;
}

export interface OutputDirectoryView {
  id: string;
  files: OutputFileView[];
  /** The links stop working at this time. */
  expiresAt: string;
  /** More files exist than are listed. */
  more: boolean;
}

/** Why a job failed, in one line, and the log line (or service message) that says so: failure-cause.ts. */
export interface CauseView {
  title: string;
  quote?: string;
}

/** How far a running job is, read from its log (progress-parse.ts); every field is optional but `metrics`. */
export interface ProgressView {
  /** 0..1 of the run. */
  fraction?: number;
  step?: number;
  totalSteps?: number;
  epoch?: number;
  totalEpochs?: number;
  ratePerSecond?: number;
  etaSeconds?: number;
  /** Latest values, in the order the log first printed them. */
  metrics: Array<{ name: string; value: number }>;
  /** The main metric over steps, for a chart. */
  chart?: { metric: string; points: Array<{ x: number; y: number }> };
}

export interface JobView {
  kind: 'job';
  job: JobSummaryView;
  tails: LogTailView[];
  outputs: OutputDirectoryView[];
  actions: ActionView[];
  cause?: CauseView;
  progress?: ProgressView;
  /** Shown above the state line: what the command did, e.g. "Submitted", "Terminate requested". */
  headline?: string;
}

export interface ClusterView {
  kind: 'cluster';
  workspace: string;
  labels?: ResourceLabels;
  name: string;
  vmSize: string;
  vmPriority?: string;
  allocationState: 'steady' | 'resizing';
  currentNodeCount: number;
  nodes: NodeCounts;
  scale: ScaleMode;
  errors: ErrorItem[];
  actions: ActionView[];
  headline?: string;
}

/** What is known about a cluster, without a card's buttons: lists, alerts and events carry this. */
export type ClusterFacts = Omit<ClusterView, 'kind' | 'actions'>;

export interface JobListView {
  kind: 'job-list';
  title: string;
  jobs: JobSummaryView[];
  /** Jobs matched but not shown (lists are capped). */
  more: number;
}

export interface ClusterListView {
  kind: 'cluster-list';
  title: string;
  clusters: ClusterFacts[];
}

export interface HelpView {
  kind: 'help';
  title: string;
  entries: Array<{ command: CommandKind; usage: string; summary: string; examples: string[] }>;
}

export interface ErrorView {
  kind: 'error';
  title: string;
  message: string;
  /** e.g. the usage of the nearest command, or what exists instead. */
  hint?: string;
  actions: ActionView[];
}

export interface ConfirmView {
  kind: 'confirm';
  title: string;
  message: string;
  confirm: ActionView;
  cancel: ActionView;
}

export interface TextView {
  kind: 'text';
  title?: string;
  text: string;
  facts?: Array<{ title: string; value: string }>;
  /** Shown monospace, e.g. the request body of a dry run. */
  code?: string;
  /** The label above `code` (default "Details"). */
  codeLabel?: string;
  actions: ActionView[];
}

export interface TemplateListView {
  kind: 'template-list';
  templates: Array<{ name: string; description?: string; parameters: string[] }>;
}

export interface SubscriptionListView {
  kind: 'subscription-list';
  subscriptions: Array<{ id: string; filter: SubscriptionFilter; description: string }>;
}

/** An alert about a cluster: resized, idle warning, scaled to zero, approval requested. */
export interface ClusterAlertView {
  kind: 'cluster-alert';
  title: string;
  message: string;
  cluster: ClusterFacts;
  actions: ActionView[];
}

/** Several alerts for one conversation in one tick, as one card. */
export interface DigestView {
  kind: 'digest';
  title: string;
  /** `cause`: a failed job's named cause (failure-cause.ts), shown in one line. */
  items: Array<{ title: string; state?: JobState; text: string; command?: string; cause?: CauseView }>;
}

export type View =
  | JobView
  | ClusterView
  | JobListView
  | ClusterListView
  | HelpView
  | ErrorView
  | ConfirmView
  | TextView
  | TemplateListView
  | SubscriptionListView
  | ClusterAlertView
  | DigestView;

export type Channel = 'msteams' | 'slack' | 'webchat';
