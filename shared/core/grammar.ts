// Chat text → typed Command, driven by the one command table (command-table.ts). Every refusal says what was
// expected and names the closest command with its usage, so the bot can answer with a usage card.
import type { Command, ParseFailure } from './commands';
import { COMMANDS, rowsFor, usageOf, verbWord, type CommandSpec, type FlagSpec, type Parsed } from './command-table';
import { checkValue, splitKeyValue } from './grammar-values';
import { closest } from './edit-distance';
import { tokenize, type Token } from './tokenize';

const VERBS = [...new Set(COMMANDS.flatMap((c) => [verbWord(c), ...(c.aliases ?? [])]))];

const show = (raw: string) => JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);

function fail(spec: CommandSpec, problem: string): ParseFailure {
  const usage = usageOf(spec);
  return {
    kind: 'parse-error',
    message: `${spec.verb}: ${problem}. Usage: ${usage}`,
    suggestion: { command: spec.kind, usage },
  };
}

function unknownVerb(verb: string): ParseFailure {
  // A truncated verb (`sub`, `term`) is nearer in intent to the word it starts than to any short typo match.
  const near = (verb.length >= 3 ? VERBS.find((v) => v.startsWith(verb)) : undefined) ?? closest(verb, VERBS);
  const spec =
    near === undefined ? undefined : COMMANDS.find((c) => c.verb.startsWith(near) || c.aliases?.includes(near));
  if (!spec) {
    return {
      kind: 'parse-error',
      message:
        `Unknown command ${show(verb)}: expected a command such as jobs, job, logs or submit. ` +
        'Type help for the list.',
    };
  }
  const usage = usageOf(spec);
  return {
    kind: 'parse-error',
    message: `Unknown command ${show(verb)}. Did you mean ${verbWord(spec)}? Usage: ${usage}`,
    suggestion: { command: spec.kind, usage },
  };
}

/** Finds the row for the leading words; two-word verbs (`use workspace`) consume a second token. */
function matchVerb(tokens: Token[]): { spec: CommandSpec; rest: Token[] } | ParseFailure {
  const first = tokens[0].text.toLowerCase();
  const rows = rowsFor(first);
  if (rows.length === 0) return unknownVerb(first);
  if (rows.length === 1 && !rows[0].verb.includes(' ')) return { spec: rows[0], rest: tokens.slice(1) };
  const second = tokens[1]?.text.toLowerCase();
  const spec = rows.find((r) => r.verb.split(' ')[1] === second);
  if (spec) return { spec, rest: tokens.slice(2) };
  // `roles` alone beside `roles grant`: the one-word row takes the line.
  const single = rows.find((r) => !r.verb.includes(' '));
  if (single) return { spec: single, rest: tokens.slice(1) };
  const near =
    second === undefined
      ? undefined
      : closest(
          second,
          rows.map((r) => r.verb.split(' ')[1]),
        );
  const best = rows.find((r) => r.verb.split(' ')[1] === near) ?? rows[0];
  const choices = rows.map((r) => usageOf(r)).join(' or ');
  return fail(best, `expected ${choices}${second === undefined ? '' : `, got ${show(tokens[1].text)}`}`);
}

function isFlag(t: Token): boolean {
  return !t.quoted && t.text.startsWith('--') && t.text.length > 2;
}

/** Splits flags from positionals and checks each flag; returns the failure text on the first problem. */
function readFlags(spec: CommandSpec, tokens: Token[], parsed: Parsed): Token[] | string {
  const positionals: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!isFlag(t)) {
      positionals.push(t);
      continue;
    }
    const eq = t.text.indexOf('=');
    const name = (eq < 0 ? t.text.slice(2) : t.text.slice(2, eq)).toLowerCase();
    const flag: FlagSpec | undefined = spec.flags.find((f) => f.name === name);
    if (!flag) {
      const known = spec.flags.map((f) => `--${f.name}`).join(', ');
      return `unknown flag --${name}: expected ${known ? `one of ${known}` : 'no flags'}`;
    }
    if (name in parsed.flags) return `--${name} is given twice: expected it at most once`;
    if (flag.type === 'bool') {
      if (eq >= 0) return `--${name} takes no value: expected just --${name}`;
      parsed.flags[name] = true;
      continue;
    }
    let raw: string;
    if (eq >= 0) raw = t.text.slice(eq + 1);
    else {
      const next = tokens[i + 1];
      if (!next || isFlag(next)) return `--${name} expects a value (${flag.label ?? flag.name})`;
      raw = next.text;
      i++;
    }
    const checked = checkValue(flag.type, raw, flag.range);
    if (!checked.ok) return `--${name} expects ${checked.expected}, got ${show(raw)}`;
    parsed.flags[name] = checked.value;
  }
  return positionals;
}

function readArgs(spec: CommandSpec, positionals: Token[], parsed: Parsed): string | undefined {
  let i = 0;
  for (const arg of spec.args) {
    const label = arg.label ?? arg.name;
    if (arg.type === 'kv') {
      const params: Record<string, string> = {};
      for (; i < positionals.length; i++) {
        const raw = positionals[i].text;
        const checked = checkValue('kv', raw);
        if (!checked.ok) return `expected ${checked.expected}, got ${show(raw)}`;
        const [key, value] = splitKeyValue(raw);
        if (key in params) return `parameter ${key} is given twice: expected each at most once`;
        params[key] = value;
      }
      if (Object.keys(params).length > 0) parsed.args[arg.name] = params;
      continue;
    }
    const token = positionals[i];
    if (!token) {
      if (arg.optional) continue;
      return `missing <${label}>: expected ${describe(arg.type, arg.range)}`;
    }
    const checked = checkValue(arg.type, token.text, arg.range);
    if (!checked.ok) return `<${label}> must be ${checked.expected}, got ${show(token.text)}`;
    parsed.args[arg.name] = checked.value;
    i++;
  }
  if (i < positionals.length) {
    const extra = positionals
      .slice(i)
      .map((t) => t.text)
      .join(' ');
    return (
      `unexpected ${show(extra)}: expected ` +
      `${spec.args.length === 0 ? 'nothing after the command' : 'no more arguments'}`
    );
  }
  return undefined;
}

/** What a type expects, worded by its validator (a NUL byte fails every one of them). */
function describe(type: Parameters<typeof checkValue>[0], range?: [number, number]): string {
  const probe = checkValue(type, '\u0000', range);
  return probe.ok ? type : probe.expected;
}

/**
 * The longest command line taken: far above any real command (values are at most 1,000 characters each), and
 * short enough that the command's audit row stays within a Table property (64 KiB).
 */
export const MAX_COMMAND_CHARS = 8000;

export function parseCommand(text: string): Command | ParseFailure {
  if (text.length > MAX_COMMAND_CHARS) {
    const got = text.length.toLocaleString('en-US');
    return {
      kind: 'parse-error',
      message: `A command is at most ${MAX_COMMAND_CHARS.toLocaleString('en-US')} characters, got ${got}.`,
    };
  }
  const line = text.trim().replace(/^\//, '');
  const tokens = tokenize(line);
  if ('error' in tokens) return { kind: 'parse-error', message: `Unclosed quote: expected ${tokens.error}.` };
  if (tokens.length === 0)
    return { kind: 'parse-error', message: 'Empty message: expected a command. Type help for the list.' };
  const matched = matchVerb(tokens);
  if ('kind' in matched) return matched;
  const { spec, rest } = matched;
  const parsed: Parsed = { args: {}, flags: {} };
  const positionals = readFlags(spec, rest, parsed);
  if (typeof positionals === 'string') return fail(spec, positionals);
  const problem = readArgs(spec, positionals, parsed) ?? spec.check?.(parsed);
  if (problem) return fail(spec, problem);
  return spec.build(parsed);
}

export function isParseFailure(x: Command | ParseFailure): x is ParseFailure {
  return x.kind === 'parse-error';
}
