// The local channel: plays the part Teams or Slack play. Connector side (the bot's serviceUrl): the bot POSTs
// replies and proactive messages and PUTs card updates. User side (the page and the CLI): post a message,
// which becomes an activity POSTed to the bot endpoint, and read new and updated activities (long-poll).
// Each user message records how long the bot took to acknowledge it (its HTTP answer) and to answer it (its
// first reply): `timing` on the stored message, which the page shows beside it and the CLI prints.
// Listens on 127.0.0.1 only: there is no authentication, as in the Bot Framework Emulator.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { isRecord } from '../../shared/core/json-shape';
import { InputError, toError } from '../../shared/errors';
import { readJson, sendError, sendJson } from './http-util';
import { buildMessageActivity, BOT_ACCOUNT, parseUserInput } from './inbound';
import { staticFiles } from './static-files';
import { checkConversationId, ConversationStore } from './store';

export interface ChatServerOptions {
  /** Conversations are kept under `${dataDir}/conversations`. */
  dataDir: string;
  /** Default 3978; 0 = any free port. */
  port?: number;
  /** The bot's messaging endpoint. Default http://127.0.0.1:7071/api/messages (the functions host). */
  botUrl?: string;
  log?: (line: string) => void;
}

export interface ChatServer {
  /** http://127.0.0.1:PORT: the page, and the serviceUrl the bot replies to. */
  url: string;
  store: ConversationStore;
  stop(): Promise<void>;
}

const MAX_WAIT_SECONDS = 30;
const BOT_TIMEOUT_MS = 120_000;
const MAX_TIMED = 1000;

/** Milliseconds from posting a user message to the bot until its HTTP answer, and until its first reply. */
export interface Timing {
  ackMs?: number;
  answerMs?: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse, params: string[], url: URL) => Promise<void>;

export async function startChatServer(opts: ChatServerOptions): Promise<ChatServer> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const botUrl = opts.botUrl ?? 'http://127.0.0.1:7071/api/messages';
  const store = new ConversationStore(opts.dataDir);
  const files = staticFiles();
  const closing = new AbortController();
  let serviceUrl = '';
  // Conversations with a user message at the bot right now: what the bot posts then is a reply; what it posts
  // at any other time is proactive (an alert). replyToId cannot tell: proactive sends carry the reference's.
  const inTurn = new Map<string, number>();
  // User messages waiting for their first reply: when each was posted to the bot, and what was measured so far.
  const timings = new Map<string, { cid: string; sent: number; timing: Timing }>();
  const record = (messageId: string, measured: Timing) => {
    const t = timings.get(messageId);
    if (!t) return;
    Object.assign(t.timing, measured);
    const stored = store.get(t.cid, messageId);
    if (stored) store.replace(t.cid, messageId, { ...stored, timing: { ...t.timing } });
    if (t.timing.ackMs !== undefined && t.timing.answerMs !== undefined) timings.delete(messageId);
  };

  const activityBody = async (req: IncomingMessage) => {
    const body = await readJson(req);
    if (!isRecord(body) || typeof body.type !== 'string') {
      throw new InputError('ActivityInvalid', 'Expected an activity: a JSON object with a "type".');
    }
    return body as Record<string, unknown> & { type: string };
  };

  const postActivity: Handler = async (req, res, [cid, replyToId]) => {
    const activity = await activityBody(req);
    const proactive = !inTurn.get(cid);
    // The bot's first reply to a user message is its answer.
    const waiting = replyToId ? timings.get(replyToId) : undefined;
    if (replyToId && waiting && waiting.timing.answerMs === undefined)
      record(replyToId, { answerMs: Math.round(performance.now() - waiting.sent) });
    const stored = store.add(cid, {
      ...activity,
      from: activity.from ?? BOT_ACCOUNT,
      ...(replyToId ? { replyToId } : {}),
      ...(proactive ? { proactive } : {}),
    });
    sendJson(res, 200, { id: stored.id });
  };

  const putActivity: Handler = async (req, res, [cid, aid]) => {
    const activity = await activityBody(req);
    const stored = store.replace(cid, aid, { ...activity, from: activity.from ?? BOT_ACCOUNT });
    if (!stored) return sendError(res, 404, 'ActivityNotFound', `No activity ${aid} in conversation ${cid}.`);
    sendJson(res, 200, { id: stored.id });
  };

  const postUserMessage: Handler = async (req, res, [cid]) => {
    const input = parseUserInput(await readJson(req));
    const stored = store.add(cid, buildMessageActivity(input, { conversationId: cid, serviceUrl }));
    const seq = store.changes(cid, Number.MAX_SAFE_INTEGER).last;
    let status: number;
    let ackMs: number;
    let answerMs: number | undefined;
    inTurn.set(cid, (inTurn.get(cid) ?? 0) + 1);
    const sent = performance.now();
    timings.set(stored.id, { cid, sent, timing: {} });
    // A message the bot never replies to is forgotten once many newer ones wait.
    if (timings.size > MAX_TIMED) timings.delete(timings.keys().next().value as string);
    try {
      const answer = await fetch(botUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(stored),
        signal: AbortSignal.any([AbortSignal.timeout(BOT_TIMEOUT_MS), closing.signal]),
      });
      status = answer.status;
      await answer.arrayBuffer();
      ackMs = Math.round(performance.now() - sent);
      answerMs = timings.get(stored.id)?.timing.answerMs;
      record(stored.id, { ackMs });
    } catch (e) {
      timings.delete(stored.id);
      log(`chat: the bot at ${botUrl} is unreachable: ${toError(e).message}`);
      return sendError(
        res,
        502,
        'BotUnreachable',
        `No answer from the bot at ${botUrl}: is the functions host running (npm start)?`,
      );
    } finally {
      const n = (inTurn.get(cid) ?? 1) - 1;
      if (n > 0) inTurn.set(cid, n);
      else inTurn.delete(cid);
    }
    if (status >= 300) return sendError(res, 502, 'BotError', `The bot at ${botUrl} answered HTTP ${status}.`);
    // seq: read activities after this to get the bot's replies (and whatever else came since).
    sendJson(res, 200, { id: stored.id, seq, ackMs, ...(answerMs === undefined ? {} : { answerMs }) });
  };

  const getActivities: Handler = async (_req, res, [cid], url) => {
    const after = Number(url.searchParams.get('after') ?? '0');
    const wait = Number(url.searchParams.get('wait') ?? '0');
    if (!Number.isInteger(after) || after < 0)
      throw new InputError('QueryInvalid', '"after" must be a whole number ≥ 0 (the "last" of the previous read).');
    if (!Number.isFinite(wait) || wait < 0 || wait > MAX_WAIT_SECONDS)
      throw new InputError('QueryInvalid', `"wait" must be 0-${MAX_WAIT_SECONDS} seconds.`);
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const changes = await store.waitForChanges(cid, after, wait * 1000, AbortSignal.any([gone.signal, closing.signal]));
    // While stopping, a page's next long-poll would come at once on the same kept-alive connection, answered at
    // once too: a busy loop until the connections are cut. Closed, the page has to reconnect, which is refused.
    if (closing.signal.aborted) res.setHeader('connection', 'close');
    sendJson(res, 200, changes);
  };

  const routes: Array<[string, RegExp, Handler]> = [
    ['POST', /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/, postActivity],
    ['PUT', /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/, putActivity],
    ['POST', /^\/api\/conversations\/([^/]+)\/messages$/, postUserMessage],
    ['GET', /^\/api\/conversations\/([^/]+)\/activities$/, getActivities],
  ];

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    if (method === 'GET') {
      const file = files(url.pathname);
      if (file)
        return void res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' }).end(file.body);
      if (url.pathname === '/api/health') return sendJson(res, 200, { ok: true, botUrl });
    }
    for (const [m, re, handler] of routes) {
      const match = re.exec(url.pathname);
      if (!match) continue;
      if (m !== method) continue;
      const params = match.slice(1).map((p) => (p === undefined ? p : decodeURIComponent(p)));
      checkConversationId(params[0]);
      return handler(req, res, params, url);
    }
    sendError(res, 404, 'NotFound', `No route for ${method} ${url.pathname}.`);
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((e) => {
      const err = toError(e);
      if (err instanceof InputError) return sendError(res, 400, err.code, err.message);
      log(`chat: ${req.method} ${req.url}: ${err.message}`);
      if (!res.headersSent) sendError(res, 500, 'InternalError', 'The chat server failed; see its log.');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 3978, '127.0.0.1', () => resolve());
  });
  serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: serviceUrl,
    store,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      closing.abort(); // long-polls answer now instead of holding the server open
      store.wakeAll();
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 1000).unref();
      await closed;
    },
  };
}
