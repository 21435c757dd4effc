// The repository's TypeScript import graph, read from the sources: every relative import, export-from,
// dynamic import() and require() of each .ts file, resolved as the compiler does for our layout (`x` →
// `x.ts` or `x/index.ts`); and, apart, the packages each file imports (`botbuilder`, `@azure/functions`).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Repository-relative path (with /) → the repository-relative paths it imports. */
export type ImportGraph = Map<string, string[]>;

const SPECIFIERS = [
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, // import x from '…', export { x } from '…'
  /\bimport\s*['"]([^'"]+)['"]/g, // import '…' (side effects only)
  /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g, // import('…'), require('…')
];

function tsFiles(root: string, dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) return name === 'node_modules' ? [] : tsFiles(root, path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Comments would otherwise give false imports (an example in a doc comment). */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function resolveImport(root: string, from: string, spec: string): string | undefined {
  const base = resolve(root, dirname(from), spec.replace(/\.js$/, ''));
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(root, candidate).split('\\').join('/');
  }
  return undefined;
}

/** The graph of the .ts files under `dirs` (repository-relative), with every import they make. */
export function importGraph(
  root: string,
  dirs: string[],
): { graph: ImportGraph; packages: Map<string, string[]>; unresolved: string[] } {
  const graph: ImportGraph = new Map();
  const packages = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of dirs.flatMap((d) => tsFiles(root, d))) {
    const source = withoutComments(readFileSync(join(root, file), 'utf8'));
    const targets = new Set<string>();
    const named = new Set<string>();
    for (const re of SPECIFIERS) {
      for (const [, spec] of source.matchAll(re)) {
        if (!spec.startsWith('.')) {
          named.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
          continue;
        }
        const target = resolveImport(root, file, spec);
        if (target) targets.add(target);
        else unresolved.push(`${file}: '${spec}'`);
      }
    }
    graph.set(file, [...targets].sort());
    packages.set(file, [...named].sort());
  }
  return { graph, packages, unresolved };
}

/**
 * Every import circle among the graph's files: each strongly connected component with more than one file
 * (or a file importing itself), shown as one concrete circle through it, `a.ts → b.ts → a.ts`.
 */
export function importCircles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm over the files of the graph (imports of files outside it are ignored).
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const edges = (f: string) => (graph.get(f) ?? []).filter((t) => graph.has(t));
  const visit = (f: string) => {
    index.set(f, next);
    low.set(f, next++);
    stack.push(f);
    onStack.add(f);
    for (const t of edges(f)) {
      if (!index.has(t)) {
        visit(t);
        low.set(f, Math.min(low.get(f)!, low.get(t)!));
      } else if (onStack.has(t)) {
        low.set(f, Math.min(low.get(f)!, index.get(t)!));
      }
    }
    if (low.get(f) === index.get(f)) {
      const component: string[] = [];
      let t: string;
      do {
        t = stack.pop()!;
        onStack.delete(t);
        component.push(t);
      } while (t !== f);
      if (component.length > 1 || edges(f).includes(f)) components.push(component.sort());
    }
  };
  for (const f of [...graph.keys()].sort()) if (!index.has(f)) visit(f);
  return components.map((c) => circleThrough(c, edges));
}

/** A shortest circle from the component's first file back to it (breadth-first inside the component). */
function circleThrough(component: string[], edges: (f: string) => string[]): string[] {
  const inside = new Set(component);
  const start = component[0];
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const f = queue.shift()!;
    for (const t of edges(f).filter((x) => inside.has(x))) {
      if (t === start) {
        const path = [f];
        while (path[0] !== start) path.unshift(parent.get(path[0])!);
        return [...path, start];
      }
      if (!parent.has(t)) {
        parent.set(t, f);
        queue.push(t);
      }
    }
  }
  return [...component, start];
}
