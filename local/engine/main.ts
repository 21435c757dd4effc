// `node dist/local/engine/main.js --port <p> --data <dir> [--files-port <p>] [--region <r>] [--batch-port <p>]
// [--azureml-port <p>]`: runs the engine alone, prints its URLs (with --batch-port, the Azure Batch account, URL
// and key; with --azureml-port, the Azure ML facade's HTTPS URL and the CA file), and stops cleanly
// (killing job process trees) on SIGINT/SIGTERM.
import { startEngine } from './index';

/** The Batch account's pools are the clusters of this workspace (as `npm start` seeds it). */
const BATCH_WORKSPACE = {
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: 'local',
  workspace: 'local',
};

function parseArgs(argv: string[]): {
  port: number;
  filesPort: number;
  dataDir: string;
  region?: string;
  batch?: { port: number; workspace: typeof BATCH_WORKSPACE };
  azureml?: { port: number };
} {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--') || argv[i + 1] === undefined) throw new Error(`unexpected argument '${a}'`);
    out[a.slice(2)] = argv[++i]!;
  }
  const num = (name: string, def: number): number => {
    if (out[name] === undefined) return def;
    const n = Number(out[name]);
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      throw new Error(`--${name} must be a port number (0-65535), got '${out[name]}'`);
    return n;
  };
  for (const k of Object.keys(out))
    if (!['port', 'files-port', 'data', 'region', 'batch-port', 'azureml-port'].includes(k))
      throw new Error(`unknown option --${k}`);
  const batch =
    out['batch-port'] === undefined ? undefined : { port: num('batch-port', 0), workspace: BATCH_WORKSPACE };
  return {
    port: num('port', 0),
    filesPort: num('files-port', 0),
    dataDir: out.data ?? '.engine-data',
    region: out.region,
    batch,
    ...(out['azureml-port'] === undefined ? {} : { azureml: { port: num('azureml-port', 0) } }),
  };
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(
      `engine: ${(e as Error).message}\n` +
        'usage: engine --port <port> --data <dir> [--files-port <port>] [--region <region>] [--batch-port <port>] ' +
        '[--azureml-port <port>]',
    );
    process.exit(2);
  }
  const engine = await startEngine(args);
  console.log(`Batch AI engine: ${engine.url}  (ARM, api-version 2018-05-01, any bearer token)`);
  console.log(`Azure Files endpoint: ${engine.filesUrl}`);
  if (engine.batch) {
    console.log(
      `Azure Batch account '${engine.batch.account}': ${engine.batch.url}  (pools = clusters of workspace local/local)`,
    );
    console.log(`  Shared Key: ${engine.batch.accountKey}  (well-known local key; any bearer token works too)`);
  }
  if (engine.azureml) {
    console.log(
      `Azure ML: ${engine.azureml.url}  (ARM 2025-12-01 and 2022-10-01, HTTPS; ` +
        'every workspace of the engine, its clusters as computes; npm start seeds local/local)',
    );
    console.log(`  CA file: ${engine.azureml.caFile}  (COMPUTE_CA_FILE; any bearer token)`);
  }
  console.log(`data: ${engine.dataDir}  (runs job command lines as this user; listens on 127.0.0.1 only)`);
  const shutdown = (signal: string): void => {
    console.log(`engine: ${signal}, stopping`);
    engine.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`engine: stop failed: ${String(e)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(`engine: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
