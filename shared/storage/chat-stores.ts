// Table-backed stores for what the bot remembers about conversations: references, defaults, templates and
// who submitted which job. Each row is addressed by encoded keys (keys.ts); values that are objects are JSON.
import { odata, type TableClient } from '@azure/data-tables';
import { ProtocolError } from '../errors';
import { encodeKey, decodeKey } from './keys';
import { seal, unseal } from './sealed';
import { joinedColumns, splitColumns } from './split-column';
import { getIfExists, statusOf } from './table';
import type { StoredConversation, Stores, Submission } from './store-types';

function parseJson(raw: unknown, what: string): unknown {
  if (typeof raw !== 'string') throw new ProtocolError(`${what}: expected a JSON string column.`);
  return JSON.parse(raw);
}

export function conversationStore(table: TableClient): Stores['conversations'] {
  return {
    async save(c) {
      await table.upsertEntity(
        {
          partitionKey: encodeKey(c.conversationId),
          rowKey: 'ref',
          channelId: c.channelId,
          serviceUrl: c.serviceUrl,
          reference: JSON.stringify(c.reference),
        },
        'Replace',
      );
    },
    async get(conversationId) {
      const e = await getIfExists<{ channelId: string; serviceUrl: string; reference: string }>(
        table,
        encodeKey(conversationId),
        'ref',
      );
      if (!e) return undefined;
      const reference = parseJson(e.reference, `conversation ${conversationId}`) as StoredConversation['reference'];
      return { conversationId, channelId: e.channelId, serviceUrl: e.serviceUrl, reference };
    },
  };
}

export function prefsStore(table: TableClient): Stores['prefs'] {
  return {
    async get(conversationId) {
      const e = await getIfExists<{ workspace?: string; experiment?: string }>(
        table,
        encodeKey(conversationId),
        'prefs',
      );
      return {
        ...(e?.workspace ? { workspace: e.workspace } : {}),
        ...(e?.experiment ? { experiment: e.experiment } : {}),
      };
    },
    async set(conversationId, patch) {
      const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      await table.upsertEntity({ partitionKey: encodeKey(conversationId), rowKey: 'prefs', ...fields }, 'Merge');
    },
  };
}

/**
 * Templates are kept sealed (sealed.ts): a parameter's default may be a secret's (a password a template fills
 * in). Sealed, a template is a third longer, so it is kept across columns (split-column.ts). A row stored
 * before that, plain JSON in `body`, still reads.
 */
export function templateStore(table: TableClient, key: Buffer): Stores['templates'] {
  const open = (rowKey: string, row: Record<string, unknown>): unknown => {
    if (typeof row.body === 'string') return parseJson(row.body, `template ${decodeKey(rowKey)}`);
    const body = joinedColumns(row);
    const text = unseal(body, key, `template/${rowKey}`);
    if (text === undefined)
      throw new ProtocolError(
        `template ${decodeKey(rowKey)}: sealed under another SECRETS_KEY; load it again (npm run templates:load).`,
      );
    return JSON.parse(text);
  };
  return {
    async put(name, body) {
      const rowKey = encodeKey(name);
      await table.upsertEntity(
        { partitionKey: 'template', rowKey, ...splitColumns(seal(JSON.stringify(body), key, `template/${rowKey}`)) },
        'Replace',
      );
    },
    async get(name) {
      const e = await getIfExists<Record<string, unknown>>(table, 'template', encodeKey(name));
      return e ? open(encodeKey(name), e) : undefined;
    },
    async list() {
      const out: Awaited<ReturnType<Stores['templates']['list']>> = [];
      for await (const e of table.listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq 'template'` },
      })) {
        const name = decodeKey(e.rowKey ?? '');
        // One row that cannot be opened must not hide the others: it is listed with why.
        try {
          out.push({ name, body: open(e.rowKey ?? '', e) });
        } catch (err) {
          if (!(err instanceof ProtocolError || err instanceof SyntaxError)) throw err;
          out.push({ name, unreadable: err.message });
        }
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

export function submissionStore(table: TableClient): Stores['submissions'] {
  const rk = (experiment: string, job: string) => `${encodeKey(experiment)}:${encodeKey(job)}`;
  const person = (s: Omit<Submission, 'secrets'>): Submission => ({
    userId: s.userId,
    ...(s.userName ? { userName: s.userName } : {}),
    ...(s.body ? { body: s.body } : {}),
  });
  const row = (s: Submission) => ({ ...person(s), ...(s.secrets ? { secrets: JSON.stringify(s.secrets) } : {}) });
  const get = async (workspace: string, experiment: string, job: string): Promise<Submission | undefined> => {
    type Row = Omit<Submission, 'secrets'> & { secrets?: string };
    const e = await getIfExists<Row>(table, encodeKey(workspace), rk(experiment, job));
    if (!e) return undefined;
    const { secrets, ...rest } = e;
    const kept = person(rest);
    if (secrets) kept.secrets = parseJson(secrets, 'submission secrets') as Submission['secrets'];
    return kept;
  };
  return {
    async claim(s) {
      const own: Submission = { ...person(s), ...(s.secrets ? { secrets: s.secrets } : {}) };
      try {
        await table.createEntity({
          partitionKey: encodeKey(s.workspace),
          rowKey: rk(s.experiment, s.job),
          experiment: s.experiment,
          job: s.job,
          ...row(own),
        });
        return own;
      } catch (e) {
        if (statusOf(e) !== 409) throw e;
        // Someone was first (or this person before): theirs stays, whoever asks now.
        return (await get(s.workspace, s.experiment, s.job)) ?? own;
      }
    },
    async release(s) {
      const kept = await get(s.workspace, s.experiment, s.job);
      if (kept?.userId !== s.userId || kept.body !== s.body) return;
      await table.deleteEntity(encodeKey(s.workspace), rk(s.experiment, s.job)).catch((e: unknown) => {
        if (statusOf(e) !== 404) throw e;
      });
    },
    get,
    async listByUser(workspace, userId) {
      const out: Array<{ experiment: string; job: string }> = [];
      const filter = odata`PartitionKey eq ${encodeKey(workspace)} and userId eq ${userId}`;
      for await (const e of table.listEntities<{ experiment: string; job: string }>({ queryOptions: { filter } })) {
        out.push({ experiment: e.experiment, job: e.job });
      }
      return out;
    },
  };
}
