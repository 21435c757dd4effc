// The page's files: our own HTML/JS/CSS and the Teams host configs (local/chat/page/, read from the source tree
// so that the build needs no copy step), and the adaptivecards and markdown-it browser bundles from node_modules.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** The repository root: the nearest folder above this file with a package.json (works from src and dist). */
export function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'local', 'chat', 'page'))) return dir;
  }
  throw new Error(`Cannot find the repository root (with local/chat/page) above ${__dirname}.`);
}

export interface StaticFile {
  body: Buffer;
  type: string;
}

export function staticFiles(): (path: string) => StaticFile | undefined {
  const root = repoRoot();
  const page = join(root, 'local', 'chat', 'page');
  const files: Record<string, string> = {
    '/': join(page, 'index.html'),
    '/chat.js': join(page, 'chat.js'),
    '/chat.css': join(page, 'chat.css'),
    '/markdown.js': join(page, 'markdown.js'),
    '/slack-blocks.js': join(page, 'slack-blocks.js'),
    '/charts.js': join(page, 'charts.js'),
    '/host-configs/teams-light.json': join(page, 'host-configs', 'teams-light.json'),
    '/host-configs/teams-dark.json': join(page, 'host-configs', 'teams-dark.json'),
    '/vendor/adaptivecards.min.js': require.resolve('adaptivecards/dist/adaptivecards.min.js'),
    '/vendor/markdown-it.min.js': require.resolve('markdown-it/browser'),
  };
  return (path) => {
    const file = files[path];
    if (!file) return undefined;
    // Read on each request: the page can be edited while the stack runs.
    return { body: readFileSync(file), type: TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' };
  };
}
