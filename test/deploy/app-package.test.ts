// The deployed package holds what runs in Azure and nothing else. The test runs the package step's own code
// (compile with tsconfig.build.json, stage, zip, list) on the app files; only the production npm install is
// left out, to keep the test fast and offline.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stageApp, zipApp } from '../../tools/package/app-package';
import { readZipEntry } from '../../tools/package/zip';

let dir: string;
let names: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'app-package-'));
  stageApp(join(dir, 'app'), { installDependencies: false });
  names = zipApp(join(dir, 'app'), join(dir, 'app.zip'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('holds the compiled production code, host.json and package.json at the root', () => {
  expect(names).toEqual(
    expect.arrayContaining([
      'host.json',
      'package.json',
      'dist/functions/index.js',
      'dist/bot/botframework/adapter.js',
      'dist/cards/activity.js',
      'dist/shared/config.js',
    ]),
  );
  expect(names.filter((n) => !n.startsWith('dist/')).sort()).toEqual(['host.json', 'package.json']);
  const top = [...new Set(names.filter((n) => n.startsWith('dist/')).map((n) => n.split('/')[1]))].sort();
  expect(top).toEqual(['bot', 'cards', 'functions', 'shared']);
});

test('holds no test, local, bench or tools code and no TypeScript source', () => {
  expect(
    names.filter((n) => /(^|\/)(test|local|bench|tools)\//.test(n) || (/\.ts$/.test(n) && !n.endsWith('.d.ts'))),
  ).toEqual([]);
  for (const n of names.filter((x) => x.endsWith('.js'))) {
    const code = Buffer.from(readZipEntry(join(dir, 'app.zip'), n)).toString('utf8');
    expect({ n, imports: /require\("(\.\.\/)+(local|test|bench|tools)\//.test(code) }).toEqual({ n, imports: false });
  }
});

test('its package.json points at the entry point inside the zip and carries no scripts or dev dependencies', () => {
  const pkg = JSON.parse(Buffer.from(readZipEntry(join(dir, 'app.zip'), 'package.json')).toString('utf8'));
  expect(names).toContain(pkg.main);
  expect(pkg.scripts).toBeUndefined();
  expect(pkg.devDependencies).toBeUndefined();
  expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['@azure/functions', 'botbuilder']));
});

test('writes the list of entries beside the zip', () => {
  expect(readFileSync(join(dir, 'app.zip.entries.txt'), 'utf8').trim().split('\n')).toEqual(names);
});

test('.funcignore keeps the same code out for those who publish with Core Tools', () => {
  const ignored = readFileSync(join(__dirname, '../../.funcignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  expect(ignored).toEqual(
    expect.arrayContaining([
      'test',
      'local',
      'bench',
      'tools',
      'dist/test',
      'dist/local',
      'dist/bench',
      'dist/tools',
      '*.ts',
      'local.settings.json',
    ]),
  );
});
