// `npm run templates:load`: against a REAL Azurite. All valid files load; one invalid file loads nothing.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemplates, main } from '../../local/templates-load';
import { ACCOUNT_PLACEHOLDER } from '../../shared/templates/job-file-fill';
import { createStores, type Stores } from '../../shared/storage';
import { seedJobs } from '../fixtures/seed-jobs';
import { useAzurite } from '../support/azurite';

const azurite = useAzurite();
let stores: Stores;
let dir: string;

beforeAll(async () => {
  stores = await createStores(azurite.connectionString);
  dir = mkdtempSync(join(tmpdir(), 'templates-load-'));
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

const plain = {
  properties: {
    nodeCount: 1,
    customToolkitSettings: { commandLine: 'echo hi' },
    stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
  },
};

test('the shipped templates/ folder loads, stored exactly as written', async () => {
  const loaded = await loadTemplates(stores, join(__dirname, '../../templates'));
  expect(loaded.map((t) => t.name)).toEqual(expect.arrayContaining(['hello', 'train']));
  expect(loaded.find((t) => t.name === 'hello')?.parameters).toEqual(['greeting', 'seconds']);
  const stored = await stores.templates.get('hello');
  expect(stored).toEqual(JSON.parse(readFileSync(join(__dirname, '../../templates/hello.json'), 'utf8')));
});

test('one invalid file in a folder: a message per bad file, and nothing from the folder is stored', async () => {
  const folder = join(dir, 'mixed');
  mkdirSync(join(folder, 'sample'), { recursive: true });
  writeFileSync(join(folder, 'good-one.json'), JSON.stringify(plain));
  writeFileSync(join(folder, 'sample', 'job.json'), JSON.stringify(plain));
  writeFileSync(join(folder, 'broken.json'), '{ "properties": ');
  writeFileSync(join(folder, 'bad-shape.json'), JSON.stringify({ properties: { nodeCount: 1 }, extra: true }));
  const failure = loadTemplates(stores, folder);
  await expect(failure).rejects.toThrow(/^No templates were loaded: 2 of 4 file\(s\) invalid/);
  await expect(failure).rejects.toThrow(/broken\.json: not valid JSON/);
  await expect(failure).rejects.toThrow(/bad-shape\.json: bad-shape\.extra: expected no such field/);
  expect(await stores.templates.get('good-one')).toBeUndefined();
  expect(await stores.templates.get('sample')).toBeUndefined();
});

test('a job.json takes its folder name; --name renames a single file and is refused for a folder', async () => {
  const folder = join(dir, 'ok');
  mkdirSync(join(folder, 'mnist'), { recursive: true });
  writeFileSync(join(folder, 'mnist', 'job.json'), JSON.stringify(plain));
  expect((await loadTemplates(stores, folder)).map((t) => t.name)).toEqual(['mnist']);
  expect(await stores.templates.get('mnist')).toEqual(plain);
  await loadTemplates(stores, join(folder, 'mnist', 'job.json'), { name: 'renamed' });
  expect(await stores.templates.get('renamed')).toEqual(plain);
  await expect(loadTemplates(stores, folder, { name: 'x' })).rejects.toThrow(/expected a single file/);
});

test('the CLI prints what it loaded, or the error, with exit codes', async () => {
  const out = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const file = join(dir, 'cli.json');
    writeFileSync(file, JSON.stringify(plain));
    expect(await main([file, '--name', 'cli-one'], { AzureWebJobsStorage: azurite.connectionString })).toBe(0);
    expect(out.mock.calls.flat().join('\n')).toMatch(/loaded cli-one from .*cli\.json/);
    // No AzureWebJobsStorage: the local stack's Azurite and engine account (files are checked first).
    expect(await main([join(dir, 'absent.json')], {})).toBe(1);
    expect(out.mock.calls.flat().join('\n')).toMatch(
      /loading into the local Azurite \(UseDevelopmentStorage=true\), storage account local of the local engine/,
    );
    expect(err.mock.calls.flat().join('\n')).toMatch(/absent\.json: no such file or folder/);
    expect(await main([join(dir, 'missing.json')], { AzureWebJobsStorage: azurite.connectionString })).toBe(1);
    expect(err.mock.calls.flat().join('\n')).toMatch(/missing\.json: no such file or folder/);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
});

test('az batchai job files: refused without a storage account, naming its setting; loaded with one', async () => {
  const out = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const folder = join(dir, 'seeds');
    for (const s of seedJobs()) {
      mkdirSync(join(folder, s.name), { recursive: true });
      writeFileSync(join(folder, s.name, 'job.json'), JSON.stringify(s.json));
    }
    const env = { AzureWebJobsStorage: azurite.connectionString };
    expect(await main([folder], env)).toBe(1);
    const refused = err.mock.calls.flat().join('\n');
    expect(refused).toMatch(/No templates were loaded: 1 of 2 file\(s\) invalid/);
    expect(refused).toContain(
      'recipe-chainer-gpu-distributed/job.json: submit could not fill it in as az batchai did:\n' +
        `  - properties.mountVolumes.azureFileShares[0].azureFileUrl uses ${ACCOUNT_PLACEHOLDER},` +
        ' but no storage account is configured: expected BATCHAI_STORAGE_ACCOUNT',
    );
    expect(await stores.templates.get('recipe-chainer-gpu-distributed')).toBeUndefined();

    const key = 'a2V5LW9mLWRlbW9zdG9yZQ==';
    expect(await main([folder], { ...env, BATCHAI_STORAGE_ACCOUNT: 'demostore', BATCHAI_STORAGE_KEY: key })).toBe(0);
    const printed = out.mock.calls.flat().join('\n');
    expect(printed).toMatch(
      new RegExp(
        /loaded recipe-chainer-gpu-distributed from .*job\.json\n {2}/.source +
          /submit fills in properties\.mountVolumes\.azureFileShares\[0\]\.azureFileUrl:/.source +
          / storage account demostore in place of <AZURE_BATCHAI_STORAGE_ACCOUNT>/.source,
      ),
    );
    expect(printed).toContain(
      'submit fills in properties.mountVolumes.azureFileShares[1].credentials:' +
        ' the key of demostore (BATCHAI_STORAGE_KEY)',
    );
    expect(printed).toMatch(/loaded using-azure-cli-batchai from /);
    expect(printed).not.toContain(key);
    // Stored as written: the key is filled at submit, never kept in a template.
    const stored = JSON.stringify(await stores.templates.get('recipe-chainer-gpu-distributed'));
    expect(stored).toContain(ACCOUNT_PLACEHOLDER);
    expect(stored).not.toContain(key);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
});
