// Shared pieces of the engine tests: a fast engine in a temp dir and a small ARM client over fetch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../../local/engine';

export const SUB = '00000000-0000-0000-0000-000000000000';
export const API = 'api-version=2018-05-01';
export const FAST = { allocationDelayMs: 150, operationDelayMs: 50, schedulerIntervalMs: 20 };

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'engine-test-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function fastEngine(dataDir = tempDir()): Promise<Engine> {
  return startEngine({ dataDir, timing: FAST });
}

/**
 * The fast engine of a whole test file: started in beforeAll (then `setup` runs on it), stopped and its data
 * dir removed in afterAll. The returned object is filled in by beforeAll (an Engine is a plain object of
 * closures), so a test file can hold it in a const.
 */
export function useFastEngine(setup?: (engine: Engine) => Promise<void>): Engine {
  const engine = {} as Engine;
  beforeAll(async () => {
    Object.assign(engine, await fastEngine());
    await setup?.(engine);
  });
  afterAll(async () => {
    if (!engine.stop) return; // it never started: beforeAll has reported why
    await engine.stop();
    removeDir(engine.dataDir);
  });
  return engine;
}

export interface Answer {
  status: number;
  headers: Headers;
  // any: tests read arbitrary ARM JSON by path, as a person reading the answer would.
  body: any;
  text: string;
}

/** One ARM request: `path` below the engine URL; api-version is added unless the path has a query. */
export async function arm(
  engine: Engine,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = path.startsWith('http') ? path : `${engine.url}${path}${path.includes('?') ? '' : `?${API}`}`;
  const res = await fetch(url, {
    method,
    headers: {
      authorization: 'Bearer test-token',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

export const WS = `/subscriptions/${SUB}/resourceGroups/demo_rg/providers/Microsoft.BatchAI/workspaces/demo_ws`;
export const EXP = `${WS}/experiments/exp1`;

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Workspace + experiment + a manual cluster of `nodes` slots, steady. */
export async function setupCluster(
  engine: Engine,
  cluster: string,
  scaleSettings: unknown,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await arm(engine, 'PUT', WS, { location: 'eastus' });
  await arm(engine, 'PUT', EXP);
  const put = await arm(engine, 'PUT', `${WS}/clusters/${cluster}`, {
    properties: {
      vmSize: 'STANDARD_NC6',
      scaleSettings,
      userAccountSettings: { adminUserName: 'u', adminUserPassword: 'hunter2' },
      ...extra,
    },
  });
  if (put.status !== 202) throw new Error(`cluster PUT: ${put.status} ${put.text}`);
  await waitFor('cluster steady', async () => {
    const c = await arm(engine, 'GET', `${WS}/clusters/${cluster}`);
    return c.body.properties.provisioningState === 'succeeded' && c.body.properties.allocationState === 'steady';
  });
}

export function jobBody(commandLine: string, extra: Record<string, unknown> = {}, cluster = 'c1'): unknown {
  return {
    properties: {
      cluster: { id: `${WS}/clusters/${cluster}` },
      nodeCount: 1,
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
      customToolkitSettings: { commandLine },
      ...extra,
    },
  };
}

/** Submits a job and waits until it has finished; returns its final JSON. */
export async function runJob(engine: Engine, name: string, body: unknown, timeoutMs = 8000): Promise<any> {
  const put = await arm(engine, 'PUT', `${EXP}/jobs/${name}`, body);
  if (put.status !== 202) throw new Error(`job PUT: ${put.status} ${put.text}`);
  return waitFor(
    `job ${name} finished`,
    async () => {
      const j = await arm(engine, 'GET', `${EXP}/jobs/${name}`);
      return ['succeeded', 'failed'].includes(j.body.properties.executionState) ? j.body : undefined;
    },
    timeoutMs,
  );
}

export const AFS = {
  azureFileShares: [
    {
      accountName: 'acct',
      azureFileUrl: 'https://acct.file.core.windows.net/share1',
      credentials: { accountKey: 'SECRETKEY==' },
      relativeMountPath: 'afs',
    },
  ],
};
