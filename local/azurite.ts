// Azurite (real Table, Queue and Blob services) as a child process: for tests, the benchmark and the local
// start command. Telemetry is always off: with it on, stopping Azurite took ~19 s (TOOLCHAIN.md). The child
// stops by itself when its parent dies without stopping it (SIGKILL, a crash).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AzuritePorts {
  blob: number;
  queue: number;
  table: number;
}

export interface StartAzuriteOptions {
  /** Fixed ports (npm start: 10000-10002); by default each service binds a free port (0) and reports it. */
  ports?: AzuritePorts;
  /** Default true: nothing on disk. */
  inMemory?: boolean;
  /** Workspace folder when not in memory; default a fresh temp dir. */
  location?: string;
  /**
   * Serve HTTPS with this certificate and accept bearer tokens (Azurite's basic OAuth: claims checked, no signature).
   */
  oauth?: { cert: string; key: string };
}

export interface RunningAzurite {
  connectionString: string;
  ports: AzuritePorts;
  stop(): Promise<void>;
}

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(ports: AzuritePorts, protocol: 'http' | 'https' = 'http'): string {
  const ep = (port: number) => `${protocol}://127.0.0.1:${port}/${ACCOUNT}`;
  return (
    `DefaultEndpointsProtocol=${protocol};AccountName=${ACCOUNT};AccountKey=${KEY};` +
    `BlobEndpoint=${ep(ports.blob)};QueueEndpoint=${ep(ports.queue)};TableEndpoint=${ep(ports.table)};`
  );
}

/** Azurite prints one such line per service once it listens; with port 0 it names the port it got. */
const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at https?:\/\/[^:]+:(\d+)/g;

/**
 * Waits for the child to report all three ports. Fails with what the child said if it exits first (a fixed
 * port taken: EADDRINUSE) or does not report within `timeoutMs`.
 */
function waitForPorts(child: ChildProcess, timeoutMs: number, output: () => string): Promise<AzuritePorts> {
  return new Promise((resolve, reject) => {
    const found: Partial<AzuritePorts> = {};
    const onData = () => {
      for (const [, service, port] of output().matchAll(LISTENING))
        found[service.toLowerCase() as keyof AzuritePorts] = Number(port);
      if (found.blob && found.queue && found.table) finish(() => resolve(found as AzuritePorts));
    };
    // 'close', not 'exit': by then all it wrote (the reason it stopped) has been read.
    const onClose = (code: number | null, signal: string | null) =>
      finish(() =>
        reject(
          new Error(
            `Azurite exited (${signal ?? `code ${code}`}) before it listened on all its ports: ` +
              `${output().trim() || 'no output'}`,
          ),
        ),
      );
    const onError = (e: Error) => finish(() => reject(new Error(`Azurite could not be started: ${e.message}`)));
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new Error(`Azurite did not report its ports within ${timeoutMs} ms: ${output().trim() || 'no output'}`),
          ),
        ),
      timeoutMs,
    );
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('close', onClose);
      child.off('error', onError);
      settle();
    };
    child.stdout?.on('data', onData);
    child.once('close', onClose);
    child.once('error', onError);
  });
}

/**
 * Node options for a child that must not outlive `parentPid`, even when the parent dies by SIGKILL and cannot
 * stop it: a preload notices the child was orphaned (its parent pid is no longer `parentPid`) and sends the
 * child SIGTERM, which Azurite handles as Ctrl-C. The pid is passed in, not read in the child, so a parent
 * that dies while the child is still starting is noticed too.
 */
export function exitWithParentArgs(parentPid = process.pid): string[] {
  const watchdog =
    `const t = setInterval(() => { if (process.ppid !== ${parentPid}) { clearInterval(t); ` +
    "process.kill(process.pid, 'SIGTERM'); } }, 1000); t.unref();";
  return ['--import', `data:text/javascript,${encodeURIComponent(watchdog)}`];
}

export async function startAzurite(opts: StartAzuriteOptions = {}): Promise<RunningAzurite> {
  // Port 0: each service binds a free port itself and reports it (nothing picks a port and binds it later).
  const ports = opts.ports ?? { blob: 0, queue: 0, table: 0 };
  const inMemory = opts.inMemory ?? true;
  const location = opts.location ?? (inMemory ? undefined : mkdtempSync(join(tmpdir(), 'azurite-')));
  if (location) mkdirSync(location, { recursive: true });
  const entry = join(require.resolve('azurite/package.json'), '..', 'dist', 'src', 'azurite.js');
  const args = [
    ...exitWithParentArgs(),
    entry,
    '--disableTelemetry',
    '--silent',
    '--skipApiVersionCheck',
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    String(ports.blob),
    '--queueHost',
    '127.0.0.1',
    '--queuePort',
    String(ports.queue),
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(ports.table),
    ...(inMemory ? ['--inMemoryPersistence'] : []),
    ...(location ? ['--location', location] : []),
    ...(opts.oauth ? ['--oauth', 'basic', '--cert', opts.oauth.cert, '--key', opts.oauth.key] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Both streams are read to the end (a full pipe would stall the child); the tail explains a failed start.
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  let bound: AzuritePorts;
  try {
    // Ready in 2-3 s on an idle machine; several starting at once on a loaded 2-core machine took over 30 s.
    bound = await waitForPorts(child, 60_000, () => output);
  } catch (e) {
    // Half started (some services listening, one failed) or slow: nothing is left running.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    throw e;
  }
  return { connectionString: azuriteConnectionString(bound, opts.oauth ? 'https' : 'http'), ports: bound, stop };
}
