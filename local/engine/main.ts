// `node dist/local/engine/main.js --port <p> --data <dir> [--files-port <p>] [--region <r>]`: runs the engine
// alone, prints its URLs, and stops cleanly (killing job process trees) on SIGINT/SIGTERM.
import { startEngine } from './index';

function parseArgs(argv: string[]): { port: number; filesPort: number; dataDir: string; region?: string } {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--') || argv[i + 1] === undefined) throw new Error(`unexpected argument '${a}'`);
    out[a.slice(2)] = argv[++i]!;
  }
  const num = (name: string, def: number): number => {
    if (out[name] === undefined) return def;
    const n = Number(out[name]);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number (0-65535), got '${out[name]}'`);
    return n;
  };
  for (const k of Object.keys(out)) if (!['port', 'files-port', 'data', 'region'].includes(k)) throw new Error(`unknown option --${k}`);
  return { port: num('port', 0), filesPort: num('files-port', 0), dataDir: out.data ?? '.engine-data', region: out.region };
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`engine: ${(e as Error).message}\nusage: engine --port <port> --data <dir> [--files-port <port>] [--region <region>]`);
    process.exit(2);
  }
  const engine = await startEngine(args);
  console.log(`Batch AI engine: ${engine.url}  (ARM, api-version 2018-05-01, any bearer token)`);
  console.log(`Azure Files endpoint: ${engine.filesUrl}`);
  console.log(`data: ${engine.dataDir}  (runs job command lines as this user; listens on 127.0.0.1 only)`);
  const shutdown = (signal: string): void => {
    console.log(`engine: ${signal}, stopping`);
    engine.stop().then(() => process.exit(0), (e: unknown) => {
      console.error(`engine: stop failed: ${String(e)}`);
      process.exit(1);
    });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`engine: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
