// What the Azure ML facade keeps beside the core: each command job's body as it was PUT (the core runs a Batch AI
// job made from it) and whether a cancel was asked, each compute's idle time (the core has no field for it), and
// environment versions. One JSON file in the engine's data dir, rewritten on each change, so it survives a restart
// like the core's journal. Keys are lower-cased, as the core's.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandJobProperties } from '../../../shared/azureml/types';

export interface StoredAmlJob {
  /** The job's name as it was PUT (the core's is lower-cased). */
  name: string;
  /** The core experiment its core job lives in (experimentName, lower-cased). */
  exp: string;
  properties: CommandJobProperties;
  createdAt: number;
  cancelRequested?: boolean;
}

interface Data {
  /** `<sub>/<rg>/<ws>/<job name>` → job. */
  jobs: Record<string, StoredAmlJob>;
  /** `<sub>/<rg>/<ws>/<compute>` → nodeIdleTimeBeforeScaleDown. */
  idle: Record<string, string>;
  /** `<sub>/<rg>/<ws>/<environment>/<version>` → the version's properties. */
  environments: Record<string, unknown>;
}

export class AmlStore {
  private readonly data: Data;

  constructor(private readonly file: string) {
    this.data = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as Data)
      : { jobs: {}, idle: {}, environments: {} };
  }

  job(key: string): StoredAmlJob | undefined {
    return this.data.jobs[key.toLowerCase()];
  }

  saveJob(key: string, j: StoredAmlJob): void {
    this.data.jobs[key.toLowerCase()] = j;
    this.persist();
  }

  idle(key: string): string | undefined {
    return this.data.idle[key.toLowerCase()];
  }

  saveIdle(key: string, idle: string): void {
    this.data.idle[key.toLowerCase()] = idle;
    this.persist();
  }

  environment(key: string): unknown {
    return this.data.environments[key.toLowerCase()];
  }

  saveEnvironment(key: string, props: unknown): void {
    this.data.environments[key.toLowerCase()] = props;
    this.persist();
  }

  private persist(): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
