// `npm run package`: the zip that Flex Consumption deploys. It holds what runs in Azure and nothing else: the
// production code compiled by tsconfig.build.json (shared, cards, bot, functions → dist/), host.json, a
// package.json without scripts or dev dependencies, and the production node_modules. Test, local, bench and
// tools code never enter it, no source map or type declaration of ours or of a dependency, no second build of a
// dependency (prune.ts), and the list of entries is written beside the zip (`.entries.txt`).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { repoRoot } from '../../local/chat/static-files';
import { pruneForDeploy } from './prune';
import { writeZip, zipEntryNames } from './zip';

const ROOT = repoRoot();
export const PACKAGE_ZIP = join(ROOT, '.deploy', 'batchai-chatops.zip');

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** The package.json Azure reads: name, version, entry point, engines and runtime dependencies only. */
export function deployedPackageJson(source: {
  name: string;
  version: string;
  main: string;
  engines?: unknown;
  dependencies?: Record<string, string>;
}) {
  const { name, version, main, engines, dependencies } = source;
  return { name, version, private: true, main, engines, dependencies };
}

/**
 * Compiles the production code and writes host.json and package.json into `stage`; with `installDependencies`,
 * also the production node_modules.
 */
export function stageApp(stage: string, opts: { installDependencies: boolean }): void {
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  // typescript's exports map hides bin/: reach it from its package.json.
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  run(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(stage, 'dist')], ROOT);
  copyFileSync(join(ROOT, 'host.json'), join(stage, 'host.json'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  if (opts.installDependencies) {
    // The repository's lock file pins the same versions the tests ran with; dev dependencies are left out.
    copyFileSync(join(ROOT, 'package.json'), join(stage, 'package.json'));
    copyFileSync(join(ROOT, 'package-lock.json'), join(stage, 'package-lock.json'));
    run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], stage);
    rmSync(join(stage, 'package-lock.json'));
    pruneForDeploy(stage);
  }
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(deployedPackageJson(pkg), null, 2)}\n`);
}

/** Every file under `stage`, as zip paths (forward slashes), sorted. */
export function stagedFiles(stage: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(stage, path).split(sep).join('/'));
    }
  };
  walk(stage);
  return out.sort();
}

/** Zips the staged app and writes the list of its entries beside the zip. */
export function zipApp(stage: string, out: string): string[] {
  writeZip(
    out,
    stagedFiles(stage).map((path) => ({ path, data: readFileSync(join(stage, path)) })),
  );
  const names = zipEntryNames(out);
  writeFileSync(`${out}.entries.txt`, `${names.join('\n')}\n`);
  return names;
}

if (require.main === module) {
  const stage = join(ROOT, '.deploy', 'app');
  stageApp(stage, { installDependencies: true });
  const names = zipApp(stage, PACKAGE_ZIP);
  console.log(
    `${relative(ROOT, PACKAGE_ZIP)}: ${names.length} files, ${(statSync(PACKAGE_ZIP).size / 1e6).toFixed(1)} MB`,
  );
}
