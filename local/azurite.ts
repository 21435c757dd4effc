// Azurite (real Table, Queue and Blob services) as a child process: for tests, the benchmark and the local
// start command. Telemetry is always off: with it on, stopping Azurite took ~19 s (TOOLCHAIN.md). The child
// stops by itself when its parent dies without stopping it (SIGKILL, a crash).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AzuritePorts { blob: number; queue: number; table: number }

export interface StartAzuriteOptions {
  /** Fixed ports; free ones by default (Azurite does not accept port 0 for every service). */
  ports?: AzuritePorts;
  /** Default true: nothing on disk. */
  inMemory?: boolean;
  /** Workspace folder when not in memory; default a fresh temp dir. */
  location?: string;
  /** Serve HTTPS with this certificate and accept bearer tokens (Azurite's basic OAuth: claims checked, no signature). */
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
  return `DefaultEndpointsProtocol=${protocol};AccountName=${ACCOUNT};AccountKey=${KEY};` +
    `BlobEndpoint=${ep(ports.blob)};QueueEndpoint=${ep(ports.queue)};TableEndpoint=${ep(ports.table)};`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

async function waitUntilListening(child: ChildProcess, ports: number[], timeoutMs: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode} before it was ready: ${stderr()}`);
    const ok = await Promise.all(ports.map(canConnect));
    if (ok.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Azurite did not listen on ports ${ports.join(', ')} within ${timeoutMs} ms: ${stderr()}`);
}

/**
 * Node options for a child that must not outlive `parentPid`, even when the parent dies by SIGKILL and cannot
 * stop it: a preload notices the child was orphaned (its parent pid is no longer `parentPid`) and sends the
 * child SIGTERM, which Azurite handles as Ctrl-C. The pid is passed in, not read in the child, so a parent
 * that dies while the child is still starting is noticed too.
 */
export function exitWithParentArgs(parentPid = process.pid): string[] {
  const watchdog = `const t = setInterval(() => { if (process.ppid !== ${parentPid}) { clearInterval(t); process.kill(process.pid, 'SIGTERM'); } }, 1000); t.unref();`;
  return ['--import', `data:text/javascript,${encodeURIComponent(watchdog)}`];
}

export async function startAzurite(opts: StartAzuriteOptions = {}): Promise<RunningAzurite> {
  const ports = opts.ports ?? { blob: await freePort(), queue: await freePort(), table: await freePort() };
  const inMemory = opts.inMemory ?? true;
  const location = opts.location ?? (inMemory ? undefined : mkdtempSync(join(tmpdir(), 'azurite-')));
  if (location) mkdirSync(location, { recursive: true });
  const entry = join(require.resolve('azurite/package.json'), '..', 'dist', 'src', 'azurite.js');
  const args = [
    ...exitWithParentArgs(), entry, '--disableTelemetry', '--silent', '--skipApiVersionCheck',
    '--blobHost', '127.0.0.1', '--blobPort', String(ports.blob),
    '--queueHost', '127.0.0.1', '--queuePort', String(ports.queue),
    '--tableHost', '127.0.0.1', '--tablePort', String(ports.table),
    ...(inMemory ? ['--inMemoryPersistence'] : []),
    ...(location ? ['--location', location] : []),
    ...(opts.oauth ? ['--oauth', 'basic', '--cert', opts.oauth.cert, '--key', opts.oauth.key] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-2000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntilListening(child, [ports.blob, ports.queue, ports.table], 20_000, () => err);
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    throw e;
  }
  return {
    connectionString: azuriteConnectionString(ports, opts.oauth ? 'https' : 'http'),
    ports,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
