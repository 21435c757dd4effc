// Lines are at most 120 characters, as Biome formats them; the formatter cannot break a long string, regex or
// comment, so this names each such line instead (biome.jsonc says which files it formats).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const FOLDERS = ['shared', 'cards', 'bot', 'functions', 'local', 'test', 'bench', 'tools'];
const MAX = 120;

function sources(dir: string): string[] {
  if (dir === 'test/fixtures') return [];
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

test(`no line of code, tests, benches or tools is longer than ${MAX} characters`, () => {
  const files = FOLDERS.flatMap(sources);
  expect(files.length).toBeGreaterThan(300);
  const long = files.flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.length > MAX ? [`${file}:${i + 1} (${line.length})`] : [])),
  );
  expect(long).toEqual([]);
});
