// The import rules of ARCHITECTURE.md, read from the sources: layers import only downwards (shared ← cards ←
// bot ← functions ← local), production code never imports local/, test/ or bench/, and botbuilder is imported
// by the Bot Framework transport's two files only.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const LAYERS = ['shared', 'cards', 'bot', 'functions', 'local'];
const PRODUCTION = ['shared', 'cards', 'bot', 'functions'];
const BOTBUILDER_FILES = ['bot/botframework/adapter.ts', 'bot/botframework/proactive.ts'];
const SLACK_SDK_FOLDER = 'bot/slack/';

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file names in an import, export … from, require() or import(). */
function specifiers(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) out.push(m[1]);
  return out;
}

/** The top folder a relative import lands in, or the package name. */
function target(file: string, spec: string): { folder?: string; pkg?: string } {
  if (!spec.startsWith('.')) return { pkg: spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0] };
  return { folder: relative(ROOT, resolve(ROOT, dirname(file), spec)).split(/[\\/]/)[0] };
}

const files = PRODUCTION.flatMap(sources).concat(sources('local'));

test('the rules see the code: every layer has files, and imports are found', () => {
  for (const layer of LAYERS) expect(files.some((f) => f.startsWith(`${layer}/`))).toBe(true);
  expect(specifiers('functions/index.ts')).toContain('./service-provider');
});

test('each layer imports only itself and the layers below it; production never imports local/, test/ or bench/', () => {
  const wrong: string[] = [];
  for (const file of files) {
    const layer = LAYERS.indexOf(file.split('/')[0]);
    for (const spec of specifiers(file)) {
      const { folder } = target(file, spec);
      if (folder === undefined) continue;
      const to = LAYERS.indexOf(folder);
      if (to === -1 || to > layer) wrong.push(`${file} → ${spec}`);
    }
  }
  expect(wrong).toEqual([]);
});

test('botbuilder is imported by the Bot Framework transport only', () => {
  const importers = PRODUCTION.flatMap(sources).filter((f) => specifiers(f).some((s) => target(f, s).pkg?.startsWith('botbuilder')));
  expect(importers.sort()).toEqual(BOTBUILDER_FILES);
});

test('@slack/* is imported by the Slack app transport only', () => {
  const importers = PRODUCTION.flatMap(sources).filter((f) => specifiers(f).some((s) => target(f, s).pkg?.startsWith('@slack/')));
  expect(importers.length).toBeGreaterThan(0);
  expect(importers.filter((f) => !f.startsWith(SLACK_SDK_FOLDER))).toEqual([]);
});
