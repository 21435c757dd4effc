// The import rules of ARCHITECTURE.md, read from the sources (test/architecture/import-graph.ts): layers import
// only downwards (shared ← cards ← bot ← functions ← local), so production code never imports local/, test/,
// bench/ or tools/; botbuilder is imported by the Bot Framework transport's two files only, @slack/* by the
// Slack app transport only; no import circle anywhere in production code or local/ (a circle that is only
// types is still a circle: move the types down a level), and none between the folders of shared/ either; the
// product outside the backend folders reads the compute port's own model, never a backend's wire shapes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCircles, importGraph, type ImportGraph } from './import-graph';

const ROOT = join(__dirname, '../..');
const LAYERS = ['shared', 'cards', 'bot', 'functions', 'local'];
const PRODUCTION = ['shared', 'cards', 'bot', 'functions'];
const BOTBUILDER_FILES = ['bot/botframework/adapter.ts', 'bot/botframework/proactive.ts'];
const SLACK_SDK_FOLDER = 'bot/slack/';

const { graph, packages, unresolved } = importGraph(ROOT, LAYERS);
const circles = importCircles(graph);
const layerOf = (path: string) => LAYERS.indexOf(path.split('/')[0]);
/** The production files importing a package whose name starts with `prefix`. */
const productionImportersOf = (prefix: string) =>
  [...packages]
    .filter(([file, names]) => PRODUCTION.includes(file.split('/')[0]) && names.some((n) => n.startsWith(prefix)))
    .map(([file]) => file)
    .sort();

test('the rules see the code: every layer has files, and imports are found', () => {
  for (const layer of LAYERS) expect([...graph.keys()].some((f) => f.startsWith(`${layer}/`))).toBe(true);
  expect(graph.get('functions/index.ts')).toContain('functions/service-provider.ts');
});

test('every relative import resolves to a file', () => {
  expect(unresolved).toEqual([]);
});

test('each layer imports only itself and layers below; production never imports local/, test/, bench/, tools/', () => {
  const wrong = [...graph].flatMap(([file, targets]) => {
    const layer = layerOf(file);
    return targets.filter((t) => layerOf(t) === -1 || layerOf(t) > layer).map((t) => `${file} → ${t}`);
  });
  expect(wrong).toEqual([]);
});

test('botbuilder is imported by the Bot Framework transport only', () => {
  expect(productionImportersOf('botbuilder')).toEqual(BOTBUILDER_FILES);
});

test('@slack/* is imported by the Slack app transport only', () => {
  const importers = productionImportersOf('@slack/');
  expect(importers.length).toBeGreaterThan(0);
  expect(importers.filter((f) => !f.startsWith(SLACK_SDK_FOLDER))).toEqual([]);
});

test('no import circle in production code or local/', () => {
  expect(circles.map((c) => c.join(' → '))).toEqual([]);
});

/** The backend folders: each maps one compute service into the port's model (shared/compute/model.ts). */
const BACKENDS = ['shared/batchai/', 'shared/azurebatch/', 'shared/azureml/'];
const BACKEND_FREE = [
  'shared/core/',
  'shared/services/',
  'shared/storage/',
  'shared/templates/',
  'shared/compute/',
  'bot/',
  'cards/',
];

test('core, services, storage, templates, the port, the bot and the cards import no backend folder', () => {
  const wrong = [...graph]
    .filter(([file]) => BACKEND_FREE.some((f) => file.startsWith(f)))
    .flatMap(([file, targets]) =>
      targets.filter((t) => BACKENDS.some((b) => t.startsWith(b))).map((t) => `${file} → ${t}`),
    );
  expect(wrong).toEqual([]);
  // The rule sees the backends: the one composition root that builds them imports them.
  expect(
    graph.get('shared/create-compute.ts')?.filter((t) => BACKENDS.some((b) => t.startsWith(b))).length,
  ).toBeGreaterThan(1);
});

/** `shared/core/x.ts` → `shared/core`; a file at shared's top is a folder of its own (`shared/config.ts`). */
const folderOf = (file: string) =>
  file.startsWith('shared/') ? file.split('/').slice(0, 2).join('/') : file.split('/')[0];

test('no import circle between the folders of production code', () => {
  const folders: ImportGraph = new Map();
  for (const [file, targets] of graph) {
    if (!PRODUCTION.includes(file.split('/')[0])) continue;
    const from = folderOf(file);
    const to = new Set([...(folders.get(from) ?? []), ...targets.map(folderOf).filter((t) => t !== from)]);
    folders.set(from, [...to].sort());
  }
  expect(folders.get('shared/core')).toContain('shared/compute');
  expect(importCircles(folders).map((c) => c.join(' → '))).toEqual([]);
});

// What starts servers or child processes: a unit-lane test that reaches one of these belongs to the
// integration lane (test/lanes.js), or the unit lane stops running in seconds.
const STARTS_THINGS = [
  /^local\/azurite\.ts$/,
  /^local\/start\.ts$/,
  /^local\/harness\//,
  /^local\/engine\/index\.ts$/,
  /^local\/functions-host\/index\.ts$/,
  /^local\/chat\/server\.ts$/,
  /^local\/files\/index\.ts$/,
  /^test\/support\/(azurite|use-started)\.ts$/,
];

test('unit-lane tests reach no code that starts a server or a child process', () => {
  const { UNIT } = require('../lanes') as { UNIT: string[] };
  const { graph: all } = importGraph(ROOT, [...PRODUCTION, 'local', 'test']);
  const unitFiles = [...all.keys()].filter(
    (f) =>
      f.endsWith('.test.ts') && UNIT.some((u) => f === `test/${u}` || (u.endsWith('/') && f.startsWith(`test/${u}`))),
  );
  expect(unitFiles.length).toBeGreaterThan(10);
  const wrong = unitFiles.flatMap((file) => {
    const seen = new Set<string>();
    const walk = (f: string): void => {
      if (seen.has(f)) return;
      seen.add(f);
      (all.get(f) ?? []).forEach(walk);
    };
    walk(file);
    return [...seen].filter((f) => STARTS_THINGS.some((re) => re.test(f))).map((f) => `${file} reaches ${f}`);
  });
  expect(wrong).toEqual([]);
});

describe('the circle finder', () => {
  const graphOf = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

  test('finds a type-only circle, a longer circle and a self-import, and nothing in a tree', () => {
    expect(importCircles(graphOf({ 'a.ts': ['b.ts'], 'b.ts': ['a.ts'], 'c.ts': ['a.ts'] }))).toEqual([
      ['a.ts', 'b.ts', 'a.ts'],
    ]);
    expect(
      importCircles(graphOf({ 'x.ts': ['y.ts'], 'y.ts': ['z.ts'], 'z.ts': ['x.ts', 'w.ts'], 'w.ts': [] })),
    ).toEqual([['x.ts', 'y.ts', 'z.ts', 'x.ts']]);
    expect(importCircles(graphOf({ 's.ts': ['s.ts'] }))).toEqual([['s.ts', 's.ts']]);
    expect(importCircles(graphOf({ 'r.ts': ['l.ts', 'm.ts'], 'l.ts': ['m.ts'], 'm.ts': [] }))).toEqual([]);
  });

  test('reads import, import type, export-from, side-effect import, import() and require(), not comments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-graph-'));
    try {
      mkdirSync(join(dir, 'src/sub'), { recursive: true });
      const files: Record<string, string> = {
        'src/main.ts': [
          "import { a } from './a';",
          "import type { B } from './b';",
          "export * from './sub';",
          "import './side';",
          "const later = () => import('./lazy');",
          "const old = require('./old');",
          "import { x } from 'some-package';",
          "// import { no } from './commented';",
          "/* export { no } from './block-commented'; */",
        ].join('\n'),
        'src/a.ts': '',
        'src/b.ts': '',
        'src/sub/index.ts': '',
        'src/side.ts': '',
        'src/lazy.ts': '',
        'src/old.ts': '',
      };
      for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
      const read = importGraph(dir, ['src']);
      expect(read.graph.get('src/main.ts')).toEqual([
        'src/a.ts',
        'src/b.ts',
        'src/lazy.ts',
        'src/old.ts',
        'src/side.ts',
        'src/sub/index.ts',
      ]);
      expect(read.unresolved).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
