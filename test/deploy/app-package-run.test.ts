// The deploy zip as `npm run package` builds it (the production npm install included, then pruned), unpacked and
// run: lean (no source map, type declaration or TypeScript source; at most 60 MB unpacked, which Flex
// Consumption downloads on every cold start), and complete: the entry point registers every function through the
// worker's registration API, and every service graph loads from the package's own node_modules.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { createDefinitions } from '../../functions/index';
import { loadConfig } from '../../shared/config';
import { stageApp, zipApp } from '../../tools/package/app-package';

const ENV = {
  COMPUTE_BACKEND: 'azurebatch',
  COMPUTE_WORKSPACES: 'rg/acct',
  COMPUTE_SUBSCRIPTION_ID: '11111111-2222-3333-4444-555555555555',
  AZURE_BATCH_ACCOUNTS: 'https://acct.westeurope.batch.azure.com',
  AzureWebJobsStorage__accountName: 'acct',
  SLACK_SIGNING_SECRET: 'signing',
  SLACK_BOT_TOKEN: 'xoxb-1',
};

let dir: string;
let names: string[];
let unpacked: string;
let bytes = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'app-package-run-'));
  stageApp(join(dir, 'app'), { installDependencies: true });
  names = zipApp(join(dir, 'app'), join(dir, 'app.zip'));
  unpacked = join(dir, 'unpacked');
  for (const [name, data] of Object.entries(unzipSync(readFileSync(join(dir, 'app.zip'))))) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(unpacked, name)), { recursive: true });
    writeFileSync(join(unpacked, name), data);
    bytes += data.length;
  }
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('is lean: no source maps, type declarations or TypeScript sources, at most 60 MB unpacked', () => {
  expect(names.filter((n) => /\.(map|ts|mts|cts)$/.test(n))).toEqual([]);
  expect(
    names.filter((n) => /node_modules\/(@azure\/[^/]+|@typespec\/[^/]+)\/dist\/(esm|browser|react-native)\//.test(n)),
  ).toEqual([]);
  console.log(
    `deploy zip: ${names.length} files, ${(bytes / 1e6).toFixed(1)} MB unpacked, ` +
      `${(statSync(join(dir, 'app.zip')).size / 1e6).toFixed(1)} MB zipped`,
  );
  expect(bytes).toBeLessThanOrEqual(60e6);
});

test('registers every function from the unpacked package, and loads every service graph from it', () => {
  const core = join(dir, 'core', '@azure', 'functions-core');
  mkdirSync(core, { recursive: true });
  // The worker's registration API, recording what the entry point registers.
  writeFileSync(
    join(core, 'index.js'),
    'exports.registered = [];\n' +
      'exports.setProgrammingModel = () => {};\n' +
      'exports.registerHook = () => ({ dispose() {} });\n' +
      'exports.log = () => {};\n' +
      'exports.registerFunction = (metadata) => {\n' +
      '  exports.registered.push(metadata.name);\n' +
      '  return { dispose() {} };\n' +
      '};\n',
  );
  const out = execFileSync(process.execPath, [join(__dirname, 'support/package-child.js'), unpacked], {
    cwd: unpacked,
    env: { PATH: process.env.PATH, NODE_PATH: join(dir, 'core'), ...ENV },
    encoding: 'utf8',
  });
  const { registered, outside } = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
    registered: string[];
    outside: string[];
  };
  const expected = createDefinitions(loadConfig(ENV)).map((d) => d.name);
  expect([...registered].sort()).toEqual([...expected].sort());
  expect(outside).toEqual([join(__dirname, 'support/package-child.js')]);
});
