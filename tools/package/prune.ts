// What the deployed node_modules does not need, taken out of the staged app before it is zipped: every byte is
// downloaded and unpacked on each Flex Consumption cold start. Node's `require` on the Functions worker loads
// a package's CommonJS build, so these go:
// - source maps, type declarations and TypeScript sources (`*.map`, `*.d.ts`/`.d.mts`/`.d.cts`, `*.ts`,
//   `_ts3.4/`), and Markdown;
// - the other builds of a dual package: folders named esm, browser, react-native, … that no CommonJS entry
//   (`main`, or an `exports` target under a condition `require` matches) points into, and the `.mjs` files of a
//   package none of whose such entries is an ES module. A package that require loads as ESM keeps them all.
// The test (test/deploy/app-package-run.test.ts) unpacks the zip and loads every function's service graph from
// it, so a pruned file that something still requires fails there, not in Azure.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const DROPPED_FILE = /\.(map|d\.ts|d\.mts|d\.cts|ts|md|markdown|tsbuildinfo)$/i;
const DROPPED_DIR = new Set(['_ts3.4', '.github']);
const OTHER_BUILDS = new Set([
  'esm',
  'browser',
  'react-native',
  'dist-browser',
  'dist-esm',
  'umd',
  '_esm',
  'es',
  'module',
]);
// The conditions Node's require matches on the worker; anything under another key is for another loader.
// (`module-sync`: Node 20.19+ and 22 require an ES module through it.)
const REQUIRE_CONDITIONS = new Set(['node', 'require', 'default', 'node-addons', 'module-sync']);

/** Paths (relative to the package, './'-less) that `require` of the package or its subpaths can load. */
export function commonJsTargets(pkg: { main?: unknown; exports?: unknown }): string[] {
  const out: string[] = [];
  const clean = (p: string) => p.replace(/^\.\//, '');
  if (typeof pkg.main === 'string') out.push(clean(pkg.main));
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(clean(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) if (k.startsWith('.') || REQUIRE_CONDITIONS.has(k)) walk(x);
  };
  walk(pkg.exports);
  return out;
}

export interface PruneReport {
  files: number;
  bytes: number;
}

function sizeOf(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((n, name) => n + sizeOf(join(path, name)), 0);
}

function pruneDir(dir: string, pkgRoot: string | undefined, targets: string[], report: PruneReport): void {
  const esmForRequire = targets.length === 0 || targets.some((t) => t.endsWith('.mjs'));
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const isDir = statSync(path).isDirectory();
    if (isDir && name === 'node_modules') {
      pruneModules(path, report);
      continue;
    }
    if (isDir && existsPackage(path)) {
      pruneDir(path, path, targetsOf(path), report);
      continue;
    }
    const inPackage = pkgRoot ? relative(pkgRoot, path).split(sep).join('/') : '';
    const otherBuild =
      isDir && pkgRoot !== undefined && OTHER_BUILDS.has(name) && !targets.some((t) => t.startsWith(`${inPackage}/`));
    const drop = isDir
      ? DROPPED_DIR.has(name) || otherBuild
      : DROPPED_FILE.test(name) || (pkgRoot !== undefined && !esmForRequire && name.endsWith('.mjs'));
    if (drop) {
      report.bytes += sizeOf(path);
      report.files++;
      rmSync(path, { recursive: true, force: true });
    } else if (isDir) pruneDir(path, pkgRoot, targets, report);
  }
}

function existsPackage(dir: string): boolean {
  try {
    return statSync(join(dir, 'package.json')).isFile() && /node_modules[\\/](@[^\\/]+[\\/])?[^\\/]+$/.test(dir);
  } catch {
    return false;
  }
}

function targetsOf(pkgDir: string): string[] {
  return commonJsTargets(JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as object);
}

function pruneModules(modules: string, report: PruneReport): void {
  for (const name of readdirSync(modules)) {
    const path = join(modules, name);
    if (!statSync(path).isDirectory()) continue;
    if (name.startsWith('@')) pruneModules(path, report);
    else if (existsPackage(path)) pruneDir(path, path, targetsOf(path), report);
  }
}

/** Prunes `<stage>/node_modules` in place; what it took out. */
export function pruneForDeploy(stage: string): PruneReport {
  const report: PruneReport = { files: 0, bytes: 0 };
  pruneModules(join(stage, 'node_modules'), report);
  return report;
}
