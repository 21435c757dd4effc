// Bicep read as a syntax tree (tree-sitter-bicep; no Bicep compiler installs here): declarations, module calls
// with the params they pass, and an evaluator of the expressions the templates use for app settings, so that a
// test can compute what the deployment writes (module outputs stood in by sample values) and hand it to the
// app's own loadConfig. The evaluator knows the functions these templates call and refuses any other by name.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** A syntax node as bicep-parse-child.js prints it, with the few readers the checks use. */
export class SyntaxNode {
  readonly type: string;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly field: string | null;
  readonly row: number;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly children: SyntaxNode[];
  readonly text: string;

  constructor(data: NodeData, source: string) {
    this.type = data.type;
    this.isNamed = data.named;
    this.isMissing = data.missing;
    this.field = data.field;
    this.row = data.row;
    this.startIndex = data.start;
    this.endIndex = data.end;
    this.text = source.slice(data.start, data.end);
    this.children = data.children.map((c) => new SyntaxNode(c, source));
  }

  get namedChildren(): SyntaxNode[] {
    return this.children.filter((c) => c.isNamed);
  }

  childForFieldName(name: string): SyntaxNode | null {
    return this.children.find((c) => c.field === name) ?? null;
  }
}

interface NodeData {
  type: string;
  named: boolean;
  missing: boolean;
  field: string | null;
  row: number;
  start: number;
  end: number;
  children: NodeData[];
}

export interface BicepFile {
  path: string;
  root: SyntaxNode;
  params: Map<string, { default?: SyntaxNode; decorators: string[] }>;
  vars: Map<string, SyntaxNode>;
  outputs: Map<string, SyntaxNode>;
  modules: ModuleDecl[];
  resources: ResourceDecl[];
}

export interface ModuleDecl {
  symbol: string;
  path: string;
  /** The body object (inside any `if (…)` or `[for …]`). */
  body: SyntaxNode;
  condition?: SyntaxNode;
  params: Map<string, SyntaxNode>;
}

export interface ResourceDecl {
  symbol: string;
  type: string;
  existing: boolean;
  body: SyntaxNode;
}

const named = (n: SyntaxNode, type: string) => n.namedChildren.filter((c) => c.type === type);
const first = (n: SyntaxNode, type: string) => n.namedChildren.find((c) => c.type === type);

function syntaxErrors(root: SyntaxNode): string[] {
  const out: string[] = [];
  const walk = (n: SyntaxNode) => {
    if (n.type === 'ERROR' || n.isMissing) out.push(`line ${n.row + 1}: ${n.text.slice(0, 60)}`);
    for (const c of n.children) walk(c);
  };
  walk(root);
  return out;
}

/** The key of an object property: an identifier, or a quoted name. */
function keyOf(prop: SyntaxNode): string {
  const k = prop.namedChildren[0];
  return k.type === 'string' ? k.text.slice(1, -1) : k.text;
}

export function properties(obj: SyntaxNode): Map<string, SyntaxNode> {
  return new Map(named(obj, 'object_property').map((p) => [keyOf(p), p.namedChildren[1]]));
}

/** The object a module or resource declares, and its condition, through `if (…)` and `[for … : …]`. */
function bodyOf(decl: SyntaxNode): { body: SyntaxNode; condition?: SyntaxNode } {
  let n = decl.namedChildren[decl.namedChildren.length - 1];
  if (n.type === 'for_statement') n = n.childForFieldName('body') ?? n.namedChildren[n.namedChildren.length - 1];
  if (n.type === 'if_statement') return { body: first(n, 'object')!, condition: first(n, 'parenthesized_expression') };
  return { body: n };
}

const cache = new Map<string, BicepFile>();

/** Parses (once per path) and reads the declarations; a syntax error fails with its line. */
export function parseBicep(path: string): BicepFile {
  const cached = cache.get(path);
  if (cached) return cached;
  const printed = execFileSync(process.execPath, [join(__dirname, 'bicep-parse-child.js'), path], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const { text, root: data } = (JSON.parse(printed) as Record<string, { text: string; root: NodeData }>)[path];
  const root = new SyntaxNode(data, text);
  const errors = syntaxErrors(root);
  if (errors.length) throw new Error(`${path} does not parse as Bicep:\n${errors.join('\n')}`);
  const file: BicepFile = {
    path,
    root,
    params: new Map(),
    vars: new Map(),
    outputs: new Map(),
    modules: [],
    resources: [],
  };
  let decorators: string[] = [];
  for (const n of root.namedChildren) {
    const name = n.namedChildren[0]?.text ?? '';
    if (n.type === 'decorators') {
      decorators = n.namedChildren.map((d) => d.text);
      continue;
    }
    if (n.type === 'parameter_declaration') {
      const value = n.namedChildren[2];
      file.params.set(name, { ...(value ? { default: value } : {}), decorators });
    } else if (n.type === 'variable_declaration') file.vars.set(name, n.namedChildren[1]);
    else if (n.type === 'output_declaration') file.outputs.set(name, n.namedChildren[2]);
    else if (n.type === 'module_declaration') {
      const { body, condition } = bodyOf(n);
      const params = properties(body).get('params');
      file.modules.push({
        symbol: name,
        path: n.namedChildren[1].text.slice(1, -1),
        body,
        ...(condition ? { condition } : {}),
        params: params ? properties(params) : new Map(),
      });
    } else if (n.type === 'resource_declaration') {
      file.resources.push({
        symbol: name,
        type: n.namedChildren[1].text.slice(1, -1),
        existing: /^resource\s+\w+\s+'[^']+'\s+existing\b/.test(n.text),
        body: bodyOf(n).body,
      });
    }
    decorators = [];
  }
  cache.set(path, file);
  return file;
}

/** Every resource declared in the file, nested ones (`resource settings 'config' = …` inside another) too. */
export function allResources(file: BicepFile): ResourceDecl[] {
  const out: ResourceDecl[] = [];
  const walk = (n: SyntaxNode) => {
    if (n.type === 'resource_declaration') {
      out.push({
        symbol: n.namedChildren[0].text,
        type: n.namedChildren[1].text.slice(1, -1),
        existing: /^resource\s+\w+\s+'[^']+'\s+existing\b/.test(n.text),
        body: bodyOf(n).body,
      });
    }
    for (const c of n.namedChildren) walk(c);
  };
  walk(file.root);
  return out;
}

export type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

export interface Scope {
  /** A parameter's value (what a parameter file or a module call gives; else its default). */
  params: Record<string, Value>;
  /** `symbol.outputs.name` of a module, and `symbol.properties…` of a resource: stand-ins. */
  symbols: Record<string, Value>;
  /** resourceGroup(), subscription(), environment(), uniqueString(…): stand-ins. */
  context: { resourceGroup: Value; subscription: Value; environment: Value; uniqueString: string };
}

export class BicepFail extends Error {}

function stringValue(n: SyntaxNode, ev: (n: SyntaxNode) => Value): string {
  let out = '';
  for (const c of n.namedChildren) {
    if (c.type === 'string_content') out += c.text;
    else if (c.type === 'escape_sequence') out += c.text === "\\'" ? "'" : c.text === '\\\\' ? '\\' : c.text.slice(1);
    else if (c.type === 'interpolation') out += String(ev(c.namedChildren[0]));
    else throw new Error(`string part ${c.type} not understood: ${c.text}`);
  }
  return out;
}

const FUNCTIONS: Record<string, (args: Value[], scope: Scope) => Value> = {
  empty: ([v]) =>
    v === '' || v === null || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && !Object.keys(v).length),
  split: ([s, sep]) => String(s).split(String(sep)),
  last: ([a]) => (Array.isArray(a) ? a[a.length - 1] : String(a).slice(-1)),
  take: ([s, n]) => (Array.isArray(s) ? s.slice(0, Number(n)) : String(s).slice(0, Number(n))),
  toLower: ([s]) => String(s).toLowerCase(),
  trim: ([s]) => String(s).trim(),
  union: (objs) => Object.assign({}, ...objs.map((o) => o as object)),
  fail: ([message]) => {
    throw new BicepFail(String(message));
  },
  resourceGroup: (_args, scope) => scope.context.resourceGroup,
  subscription: (_args, scope) => scope.context.subscription,
  environment: (_args, scope) => scope.context.environment,
  uniqueString: (_args, scope) => scope.context.uniqueString,
};

/** Evaluates an expression of `file` in `scope` (variables of the file evaluated on use). */
export function evaluate(file: BicepFile, node: SyntaxNode, scope: Scope): Value {
  const ev = (n: SyntaxNode): Value => evaluate(file, n, scope);
  switch (node.type) {
    case 'string':
      return stringValue(node, ev);
    case 'number':
      return Number(node.text);
    case 'boolean':
      return node.text === 'true';
    case 'null':
      return null;
    case 'parenthesized_expression':
      return ev(node.namedChildren[0]);
    case 'array':
      return node.namedChildren.map(ev);
    case 'object':
      return Object.fromEntries([...properties(node)].map(([k, v]) => [k, ev(v)]));
    case 'identifier': {
      const name = node.text;
      if (name in scope.params) return scope.params[name];
      const param = file.params.get(name);
      if (param?.default) return ev(param.default);
      if (param) throw new Error(`${file.path}: parameter ${name} has no value and no default`);
      const v = file.vars.get(name);
      if (v) return ev(v);
      if (name in scope.symbols) return scope.symbols[name];
      throw new Error(`${file.path}: ${name} is not a parameter, variable or stood-in symbol`);
    }
    case 'member_expression': {
      const object = ev(node.childForFieldName('object')!);
      const property = node.childForFieldName('property')!.text;
      if (typeof object !== 'object' || object === null || !(property in object))
        throw new Error(`${file.path}: no ${property} in ${node.text}`);
      return (object as Record<string, Value>)[property];
    }
    case 'subscript_expression': {
      const object = ev(node.childForFieldName('object')!) as Value[];
      return object[Number(ev(node.childForFieldName('index')!))];
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function')!.text;
      const f = FUNCTIONS[fn];
      if (!f) throw new Error(`${file.path}: the evaluator does not know ${fn}()`);
      return f(node.childForFieldName('arguments')!.namedChildren.map(ev), scope);
    }
    case 'ternary_expression':
      return ev(node.childForFieldName('condition')!)
        ? ev(node.childForFieldName('consequence')!)
        : ev(node.childForFieldName('alternative')!);
    case 'unary_expression':
      return !ev(node.namedChildren[0]);
    case 'binary_expression': {
      const op = node.children[1].text;
      const left = () => ev(node.childForFieldName('left')!);
      const right = () => ev(node.childForFieldName('right')!);
      if (op === '&&') return Boolean(left()) && Boolean(right());
      if (op === '||') return Boolean(left()) || Boolean(right());
      if (op === '??') return left() ?? right();
      if (op === '==') return left() === right();
      if (op === '!=') return left() !== right();
      throw new Error(`${file.path}: operator ${op} not understood`);
    }
    default:
      throw new Error(`${file.path}: ${node.type} not understood: ${node.text.slice(0, 60)}`);
  }
}

/** The file's text without its comments (for checks on the code's own words). */
export function codeText(file: BicepFile): string {
  const text = file.root.text;
  const cuts: Array<[number, number]> = [];
  const walk = (n: SyntaxNode) => {
    if (n.type === 'comment') cuts.push([n.startIndex, n.endIndex]);
    for (const c of n.children) walk(c);
  };
  walk(file.root);
  let out = '';
  let at = 0;
  for (const [start, end] of cuts) {
    out += text.slice(at, start);
    at = end;
  }
  return out + text.slice(at);
}
