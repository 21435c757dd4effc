// `npm run templates:load -- <file or folder> [--name n]`: checks every template file with parseTemplate, and
// stores them in Table Storage only if all are valid (nothing half-loaded). A folder loads its *.json files,
// recursively; a file named job.json takes its folder's name (the az batchai samples' layout). Each file is also
// checked for what submit will fill in as az batchai did (the storage account and its key): a file needing an
// account or key that is not configured is refused now, with the setting that would fill it.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseStorageAccount, secretsKey, storageSettings, type StorageAccountSetting } from '../shared/config';
import { fillJobFile } from '../shared/templates/job-file-fill';
import { redactText } from '../shared/core/redact';
import { parseTemplate } from '../shared/templates/templates';
import { InputError } from '../shared/errors';
import { createStores, type Stores } from '../shared/storage';
import { ENGINE_STORAGE_ACCOUNT } from './engine/storage-account';
import { localSecretsKey } from './secrets-key';

export interface LoadedTemplate {
  name: string;
  file: string;
  parameters: string[];
  /** What submit will fill in (job-file-fill.ts), one line per field. */
  fills: string[];
}

interface Candidate {
  name: string;
  file: string;
}

async function jsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await jsonFiles(p)));
    else if (e.isFile() && e.name.endsWith('.json')) out.push(p);
  }
  return out.sort();
}

function nameOf(file: string): string {
  const base = basename(file, '.json');
  return base === 'job' ? basename(dirname(file)) : base;
}

async function candidates(target: string, name?: string): Promise<Candidate[]> {
  const info = await stat(target).catch(() => undefined);
  if (!info)
    throw new InputError(
      'TemplatePathNotFound',
      `${target}: no such file or folder (expected a template .json file or a folder of them).`,
    );
  if (info.isFile()) return [{ name: name ?? nameOf(target), file: target }];
  if (name !== undefined)
    throw new InputError(
      'TemplateNameWithFolder',
      `--name ${name}: expected a single file, but ${target} is a folder (names come from file names).`,
    );
  const files = await jsonFiles(target);
  if (files.length === 0) throw new InputError('TemplatePathEmpty', `${target}: no .json files in this folder.`);
  return files.map((file) => ({ name: nameOf(file), file }));
}

type Checked = LoadedTemplate & { body: unknown };

/**
 * Reads and checks every template under `target`. Throws one InputError listing every bad file if any file is
 * unreadable, not JSON, invalid, needs a storage account or key that is not configured, or two share a name.
 */
async function checkTemplates(
  target: string,
  opts: { name?: string; storageAccount?: StorageAccountSetting },
): Promise<Checked[]> {
  const found = await candidates(target, opts.name);
  const ok: Checked[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const c of found) {
    const rel = relative(process.cwd(), c.file);
    const shown = rel && !rel.startsWith('..') ? rel : c.file;
    try {
      const body: unknown = JSON.parse(await readFile(c.file, 'utf8'));
      const t = parseTemplate(body, c.name);
      const other = seen.get(c.name);
      if (other)
        throw new InputError('TemplateDuplicate', `the name ${c.name} is also taken by ${other}; rename one file.`);
      const fill = fillJobFile(t.job, opts.storageAccount);
      if (fill.missing.length > 0) {
        throw new InputError(
          'JobFileUnfilled',
          `submit could not fill it in as az batchai did:\n${fill.missing.map((m) => `  - ${m}`).join('\n')}`,
        );
      }
      seen.set(c.name, shown);
      ok.push({ name: c.name, file: shown, parameters: t.parameters.map((p) => p.name), fills: fill.filled, body });
    } catch (e) {
      const why =
        e instanceof SyntaxError ? `not valid JSON (${e.message})` : e instanceof Error ? e.message : String(e);
      problems.push(`${shown}: ${why}`);
    }
  }
  if (problems.length > 0) {
    throw new InputError(
      'TemplatesInvalid',
      `No templates were loaded: ${problems.length} of ${found.length} file(s) invalid.\n${problems.join('\n')}`,
    );
  }
  return ok;
}

async function storeTemplates(stores: Pick<Stores, 'templates'>, checked: Checked[]): Promise<LoadedTemplate[]> {
  for (const t of checked) await stores.templates.put(t.name, t.body);
  return checked.map(({ body: _body, ...t }) => t);
}

/** Checks every template under `target` (checkTemplates), then stores them all; none if any is bad. */
export async function loadTemplates(
  stores: Pick<Stores, 'templates'>,
  target: string,
  opts: { name?: string; storageAccount?: StorageAccountSetting } = {},
): Promise<LoadedTemplate[]> {
  return storeTemplates(stores, await checkTemplates(target, opts));
}

function parseArgs(argv: string[]): { target: string; name?: string } {
  const rest: string[] = [];
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--name') {
      name = argv[++i];
      if (!name) throw new InputError('UsageError', '--name: expected a template name after it.');
    } else if (argv[i].startsWith('--')) {
      throw new InputError('UsageError', `${argv[i]}: unknown option (expected --name n).`);
    } else rest.push(argv[i]);
  }
  if (rest.length !== 1)
    throw new InputError('UsageError', 'Usage: npm run templates:load -- <file or folder> [--name n]');
  return name === undefined ? { target: rest[0] } : { target: rest[0], name };
}

export async function main(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  try {
    const args = parseArgs(argv);
    // Nothing set: the local stack (npm start), i.e. its Azurite and its engine's storage account.
    const local =
      !env.AzureWebJobsStorage?.trim() &&
      !Object.keys(env).some((k) => k.startsWith('AzureWebJobsStorage__') && env[k]?.trim());
    const storageAccount = parseStorageAccount(env) ?? (local ? ENGINE_STORAGE_ACCOUNT : undefined);
    if (local)
      console.log(
        'AzureWebJobsStorage is not set: loading into the local Azurite (UseDevelopmentStorage=true)' +
          (storageAccount === ENGINE_STORAGE_ACCOUNT
            ? `, storage account ${storageAccount.name} of the local engine`
            : '') +
          '.',
      );
    // Every file is checked before storage is touched: a bad file is reported without waiting for a connection.
    const checked = await checkTemplates(args.target, { ...args, storageAccount });
    // Locally the stack's own SECRETS_KEY (secrets-key.ts), so that the bot opens the templates sealed here.
    const storage = local
      ? {
          connectionString: 'UseDevelopmentStorage=true',
          secretsKey: secretsKey(env) ?? Buffer.from(localSecretsKey(resolve(env.LOCAL_DATA_DIR ?? '.data')), 'base64'),
        }
      : storageSettings(env);
    const stores = await createStores(storage).catch((e: unknown) => {
      if (local && /ECONNREFUSED/.test(String((e as Error)?.message))) {
        throw new InputError(
          'AzuriteNotRunning',
          'The local Azurite is not running: start the local stack first (npm start), or set AzureWebJobsStorage.',
        );
      }
      throw e;
    });
    const loaded = await storeTemplates(stores, checked);
    for (const t of loaded) {
      console.log(
        `loaded ${t.name} from ${t.file}${t.parameters.length ? ` (parameters: ${t.parameters.join(', ')})` : ''}`,
      );
      for (const f of t.fills) console.log(`  submit fills in ${f}`);
    }
    return 0;
  } catch (e) {
    console.error(
      e instanceof InputError
        ? e.message
        : `templates:load failed: ${redactText(e instanceof Error ? e.message : String(e))}`,
    );
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
