// What the Batch facade keeps beside the core: Batch jobs (a core job exists per task, not per Batch job),
// their tasks' definitions and outcomes, pool settings the core has no field for (auto-scale formula,
// metadata), and the few entities only this facade knows (certificates, job schedules). Persisted as one JSON
// file in the engine's data dir, rewritten on each change, so it survives a restart like the core's journal.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  BatchJobCreateOptions,
  BatchObject,
  BatchTaskCreateOptions,
  JobState,
  NameValuePair,
  TaskExecutionResult,
} from '../../../shared/azurebatch/types';

export interface TaskOutcome {
  endTime: number;
  exitCode?: number;
  result: TaskExecutionResult;
  failure?: {
    category: 'usererror' | 'servererror';
    code: string;
    message: string;
    details?: { name: string; value: string }[];
  };
}

export interface StoredTask {
  id: string;
  options: BatchTaskCreateOptions;
  creationTime: number;
  lastModified: number;
  /** The core job that runs it (`<job>~<task>`, lower-cased). */
  coreJob: string;
  /** Set once the process ended and the output files were uploaded. */
  outcome?: TaskOutcome;
  /** Runs after the first that ended with a nonzero exit code (task-retry.ts), and when the last began. */
  retryCount?: number;
  lastRetryTime?: number;
}

export interface StoredJob {
  id: string;
  options: BatchJobCreateOptions;
  creationTime: number;
  lastModified: number;
  state: JobState;
  stateTransitionTime: number;
  previousState?: JobState;
  endTime?: number;
  terminateReason?: string;
  tasks: StoredTask[];
}

export interface StoredPool {
  displayName?: string;
  metadata?: NameValuePair[];
  autoScaleFormula?: string;
  autoScaleEvaluationInterval?: string;
  /** A constant auto-scale target of 0 runs as a manual pool in the core (which needs max ≥ 1). */
  enableAutoScale?: boolean;
  /** When auto-scale was last enabled: the periodic evaluations (autoScaleRun) count from here. */
  autoScaleEnabledAt?: number;
  /** The pool as added, minus what the engine keeps itself (ids, counts, scale): read back as given. */
  spec?: Record<string, unknown>;
  lastModified: number;
}

interface Data {
  jobs: StoredJob[];
  pools: Record<string, StoredPool>;
  certificates: BatchObject[];
  jobSchedules: BatchObject[];
}

export class BatchStore {
  readonly jobs = new Map<string, StoredJob>();
  readonly pools = new Map<string, StoredPool>();
  readonly certificates: BatchObject[];
  readonly jobSchedules: BatchObject[];

  constructor(private readonly file: string) {
    const data: Data = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as Data)
      : { jobs: [], pools: {}, certificates: [], jobSchedules: [] };
    for (const j of data.jobs) this.jobs.set(j.id.toLowerCase(), j);
    for (const [k, v] of Object.entries(data.pools)) this.pools.set(k, v);
    this.certificates = data.certificates;
    this.jobSchedules = data.jobSchedules;
  }

  job(id: string): StoredJob | undefined {
    return this.jobs.get(id.toLowerCase());
  }

  /** Writes everything (a rename keeps a crash from leaving half a file). */
  save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const data: Data = {
      jobs: [...this.jobs.values()],
      pools: Object.fromEntries(this.pools),
      certificates: this.certificates,
      jobSchedules: this.jobSchedules,
    };
    writeFileSync(`${this.file}.tmp`, JSON.stringify(data));
    renameSync(`${this.file}.tmp`, this.file);
  }
}
