// A local fake of Slack's Web API on the wire (what @slack/web-api's WebClient and bolt's client talk to when
// `slackApiUrl` points here): POST /api/<method> with a form-encoded or JSON body and `Authorization: Bearer`,
// answering HTTP 200 `{ok: true, ...}` / `{ok: false, error}` as Slack does, or HTTP 429 + Retry-After when
// throttled. Methods: auth.test, chat.postMessage, chat.update, chat.postEphemeral, and the file upload
// (files.getUploadURLExternal, a POST of the bytes to the upload URL it gave, files.completeUploadExternal,
// files.delete; GET /files/<id> serves an uploaded file to the local page). Every call is recorded for tests.
// Fakes only the cloud side that cannot run here: the SDKs under test are the real ones.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyText } from '../http-body';

export interface SlackIdentity {
  team: string;
  botUserId: string;
  botId: string;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  /** The person who wrote it (user messages) or the bot's user id. */
  user: string;
  bot: boolean;
  /** How many times chat.update changed it. */
  edits: number;
  thread_ts?: string;
}

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  status: number;
  error?: string;
  at: number;
}

export interface SlackFile {
  id: string;
  filename: string;
  /** The length files.getUploadURLExternal was told. */
  length: number;
  bytes?: Buffer;
  title?: string;
  /** files.completeUploadExternal was called for it. */
  completed: boolean;
  /** files.delete removed it. */
  deleted?: boolean;
}

export interface SlackApiFakeOptions {
  /** The bot token calls must carry (`xoxb-...`); others get `invalid_auth`. */
  botToken: string;
  identity?: Partial<SlackIdentity>;
  /** Milliseconds; for the per-channel rate (default Date.now). */
  now?: () => number;
  /**
   * Answer a chat.postMessage to a channel that had one less than a second ago with 429 (Slack allows bursts;
   * a strict fake catches a sender that does not pace itself). Default false.
   */
  strictChannelRate?: boolean;
}

export interface SlackApiFake {
  identity: SlackIdentity;
  /** Handles /api/<method>; false when the path is not a Web API path. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
  calls(method?: string): SlackCall[];
  /** Files uploaded (or begun) through files.getUploadURLExternal. */
  files(): SlackFile[];
  messages(channel: string): SlackMessage[];
  message(channel: string, ts: string): SlackMessage | undefined;
  /** Records a message a person wrote (the local Slack does, before it tells the app). */
  addUserMessage(channel: string, user: string, text: string): SlackMessage;
  /**
   * After `skip` more calls pass, the next `times` calls (of `method`, or any) answer 429 with Retry-After
   * `retryAfterSeconds`.
   */
  throttle(times: number, retryAfterSeconds: number, method?: string, skip?: number): void;
  /** Resolves with `find()`'s first defined value, checked after every call; rejects after `timeoutMs`. */
  waitFor<T>(find: () => T | undefined, timeoutMs?: number): Promise<T>;
}

type Args = Record<string, unknown>;
type Answer = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'files']);

function parseArgs(raw: string, contentType: string): Args {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Args) : {};
  const out: Args = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = JSON_FIELDS.has(k) ? JSON.parse(v) : v;
  return out;
}

const ok = (body: Record<string, unknown>): Answer => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string): Answer => ({ status: 200, body: { ok: false, error } });

export function createSlackApiFake(opts: SlackApiFakeOptions): SlackApiFake {
  const identity: SlackIdentity = { team: 'T0LOCAL', botUserId: 'U0LOCALBOT', botId: 'B0LOCALBOT', ...opts.identity };
  const now = opts.now ?? Date.now;
  const byChannel = new Map<string, SlackMessage[]>();
  const calls: SlackCall[] = [];
  const lastPost = new Map<string, number>();
  const waiters = new Set<() => void>();
  let throttle = { times: 0, retryAfter: 1, method: undefined as string | undefined, skip: 0 };
  let seq = 0;
  const files = new Map<string, SlackFile>();
  /** Where upload URLs point: this server, as the request that asked for one reached it. */
  let origin = 'http://127.0.0.1';

  // Unique, increasing message timestamps in Slack's "seconds.micro" form.
  const nextTs = () => {
    const ms = now();
    return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000 + (seq++ % 1000)).padStart(6, '0')}`;
  };
  const store = (m: SlackMessage) => {
    const list = byChannel.get(m.channel) ?? [];
    list.push(m);
    byChannel.set(m.channel, list);
    return m;
  };
  const find = (channel: string, ts: string) => byChannel.get(channel)?.find((m) => m.ts === ts);
  const view = (m: SlackMessage) => ({
    type: 'message',
    ts: m.ts,
    text: m.text,
    blocks: m.blocks,
    ...(m.bot ? { user: identity.botUserId, bot_id: identity.botId } : { user: m.user }),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
  });
  const hasContent = (a: Args) =>
    (typeof a.text === 'string' && a.text.length > 0) || (Array.isArray(a.blocks) && a.blocks.length > 0);

  const methods: Record<string, (a: Args) => Answer> = {
    'auth.test': () =>
      ok({
        url: 'https://local.slack.invalid/',
        team: 'local',
        user: 'batchai',
        team_id: identity.team,
        user_id: identity.botUserId,
        bot_id: identity.botId,
      }),
    'chat.postMessage': (a) => {
      const channel = a.channel;
      if (typeof channel !== 'string' || !channel) return fail('channel_not_found');
      if (!hasContent(a)) return fail('no_text');
      if (opts.strictChannelRate) {
        const last = lastPost.get(channel);
        if (last !== undefined && now() - last < 1000)
          return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '1' } };
        lastPost.set(channel, now());
      }
      const m = store({
        channel,
        ts: nextTs(),
        text: String(a.text ?? ''),
        blocks: (a.blocks as unknown[]) ?? [],
        user: identity.botUserId,
        bot: true,
        edits: 0,
        ...(typeof a.thread_ts === 'string' ? { thread_ts: a.thread_ts } : {}),
      });
      return ok({ channel, ts: m.ts, message: view(m) });
    },
    'chat.update': (a) => {
      const m = typeof a.channel === 'string' && typeof a.ts === 'string' ? find(a.channel, a.ts) : undefined;
      if (!m) return fail('message_not_found');
      if (!m.bot) return fail('cant_update_message');
      if (!hasContent(a)) return fail('no_text');
      m.text = String(a.text ?? '');
      m.blocks = (a.blocks as unknown[]) ?? [];
      m.edits++;
      return ok({ channel: m.channel, ts: m.ts, text: m.text, message: view(m) });
    },
    'files.getUploadURLExternal': (a) => {
      const length = Number(a.length);
      if (typeof a.filename !== 'string' || !a.filename || !Number.isInteger(length) || length <= 0)
        return fail('invalid_arguments');
      const id = `F0LOCAL${String(files.size + 1).padStart(4, '0')}`;
      files.set(id, { id, filename: a.filename, length, completed: false });
      return ok({ upload_url: `${origin}/upload/${id}`, file_id: id });
    },
    'files.completeUploadExternal': (a) => {
      const list = typeof a.files === 'string' ? (JSON.parse(a.files) as unknown) : a.files;
      if (!Array.isArray(list) || list.length === 0) return fail('invalid_arguments');
      const done: Array<Record<string, unknown>> = [];
      for (const f of list as Array<{ id?: unknown; title?: unknown }>) {
        const file = typeof f.id === 'string' ? files.get(f.id) : undefined;
        // Slack refuses to complete a file whose bytes never arrived, or arrived with another length.
        if (!file?.bytes || file.bytes.length !== file.length) return fail('file_not_found');
        file.completed = true;
        if (typeof f.title === 'string') file.title = f.title;
        done.push({ id: file.id, name: file.filename, title: file.title ?? file.filename, size: file.length });
      }
      return ok({ files: done });
    },
    'files.delete': (a) => {
      const file = typeof a.file === 'string' ? files.get(a.file) : undefined;
      if (!file) return fail('file_not_found');
      if (file.deleted) return fail('file_deleted');
      file.deleted = true;
      return ok({});
    },
    'chat.postEphemeral': (a) =>
      typeof a.channel === 'string' && typeof a.user === 'string' && hasContent(a)
        ? ok({ message_ts: nextTs() })
        : fail('invalid_arguments'),
  };

  function answer(method: string, args: Args, token: string | undefined): Answer {
    if (throttle.times > 0 && (!throttle.method || throttle.method === method)) {
      if (throttle.skip > 0) throttle.skip--;
      else {
        throttle.times--;
        return {
          status: 429,
          body: { ok: false, error: 'ratelimited' },
          headers: { 'retry-after': String(throttle.retryAfter) },
        };
      }
    }
    const run = methods[method];
    if (!run) return fail('unknown_method');
    if (!token) return fail('not_authed');
    if (token !== opts.botToken) return fail('invalid_auth');
    return run(args);
  }

  return {
    identity,
    async handle(req, res, path) {
      const upload = /^\/upload\/(F\w+)$/.exec(path);
      if (upload && req.method === 'POST') {
        const file = files.get(upload[1]!);
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        if (file) file.bytes = Buffer.concat(chunks);
        res.writeHead(file ? 200 : 404, { 'content-type': 'text/plain' }).end(file ? `OK - ${file.bytes!.length}` : '');
        return true;
      }
      const served = /^\/files\/(F\w+)$/.exec(path);
      if (served && req.method === 'GET') {
        const file = files.get(served[1]!);
        if (!file?.completed || file.deleted || !file.bytes) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'image/png', 'content-length': file.bytes.length }).end(file.bytes);
        return true;
      }
      const m = /^\/api\/([\w.]+)$/.exec(path);
      if (!m) return false;
      if (req.headers.host) origin = `http://${req.headers.host}`;
      const raw = await readBodyText(req);
      let args: Args;
      try {
        args = parseArgs(raw, req.headers['content-type'] ?? '');
      } catch {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, error: 'invalid_json' }));
        return true;
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
      delete args.token;
      const a =
        req.method === 'POST'
          ? answer(m[1], args, token)
          : { status: 405, body: { ok: false, error: 'method_not_supported_for_channel_type' } };
      calls.push({
        method: m[1],
        args,
        status: a.status,
        ...(a.body.ok ? {} : { error: String(a.body.error) }),
        at: now(),
      });
      res
        .writeHead(a.status, { 'content-type': 'application/json; charset=utf-8', ...a.headers })
        .end(JSON.stringify(a.body));
      waiters.forEach((w) => w());
      return true;
    },
    calls: (method) => calls.filter((c) => !method || c.method === method),
    files: () => [...files.values()],
    messages: (channel) => [...(byChannel.get(channel) ?? [])],
    message: find,
    addUserMessage(channel, user, text) {
      const m = store({ channel, ts: nextTs(), text, blocks: [], user, bot: false, edits: 0 });
      waiters.forEach((w) => w());
      return m;
    },
    throttle(times, retryAfterSeconds, method, skip = 0) {
      throttle = { times, retryAfter: retryAfterSeconds, method, skip };
    },
    waitFor(findFn, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const v = findFn();
          if (v === undefined) return;
          done();
          resolve(v);
        };
        const timer = setTimeout(() => {
          done();
          const seen = calls.map((c) => `${c.method}:${c.status}${c.error ? `:${c.error}` : ''}`).join(', ');
          reject(new Error(`slack fake: nothing matched within ${timeoutMs} ms; calls: ${seen || 'none'}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
