// One request: verb → path → which operation the query names → SAS → resolve on disk → answer. Every
// failure becomes Azure's coded error; nothing here writes to disk (the endpoint is read-only).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { FilesError, errorReply } from './files-error';
import { directoryPropertiesReply, fileReply } from './file-read';
import { listDirectoryXml, parseListQuery } from './listing';
import { parsePath, resolveInShare } from './request-path';
import type { Reply } from './reply';
import { verifySas } from './sas';

export interface RouterContext {
  rootReal: string;
  signingKey: string;
  baseUrl: string;
  log?: (line: string) => void;
  now: () => Date;
}

type Operation = 'file' | 'directory-properties' | 'list';

const DEFAULT_VERSION = '2026-10-06';

function operationOf(q: URLSearchParams, method: string, depth: number): Operation {
  const restype = q.get('restype');
  const comp = q.get('comp');
  if (restype === 'directory' && comp === 'list' && method === 'GET') return 'list';
  if (restype === 'directory' && comp === null) return 'directory-properties';
  if (restype === null && comp === null && depth >= 3) return 'file';
  throw new FilesError(400, 'InvalidQueryParameterValue', {
    QueryParameterName: comp === null ? 'restype' : 'comp',
    QueryParameterValue: comp ?? restype ?? '',
    Reason:
      'This local endpoint is read-only and serves: file HEAD/GET, directory HEAD/GET with restype=directory, ' +
      'and GET with restype=directory&comp=list.',
  });
}

/** The query without its signature, for log lines. */
function redactQuery(q: URLSearchParams): string {
  const copy = new URLSearchParams(q);
  if (copy.has('sig')) copy.set('sig', 'REDACTED');
  const s = copy.toString();
  return s ? '?' + s : '';
}

async function serve(ctx: RouterContext, req: IncomingMessage, rawPath: string, url: URL): Promise<Reply> {
  const method = req.method ?? '';
  if (method !== 'GET' && method !== 'HEAD') {
    throw new FilesError(
      405,
      'UnsupportedHttpVerb',
      { Detail: 'This endpoint is read-only: GET and HEAD only.' },
      { Allow: 'GET, HEAD' },
    );
  }
  const segments = parsePath(rawPath);
  if (segments.length < 2) throw new FilesError(400, 'InvalidUri', { Detail: 'Expected /<account>/<share>[/<path>].' });
  const op = operationOf(url.searchParams, method, segments.length);
  const grant = verifySas(ctx.signingKey, segments, url.searchParams, ctx.now());
  const need = op === 'list' ? 'l' : 'r';
  if (!grant.permissions.includes(need))
    throw new FilesError(403, 'AuthorizationPermissionMismatch', {
      Detail: `This operation needs sp to include ${need}.`,
    });
  if (op !== 'file' && grant.resource === 'f')
    throw new FilesError(403, 'AuthorizationResourceTypeMismatch', {
      Detail: 'A file SAS (sr=f) cannot be used on a directory.',
    });
  const target = await resolveInShare(ctx.rootReal, segments);
  if (op === 'file') return fileReply(req, target);
  if (op === 'directory-properties') return directoryPropertiesReply(target);
  if (!target.stats.isDirectory()) throw new FilesError(404, 'ResourceNotFound');
  const share = await resolveInShare(ctx.rootReal, segments.slice(0, 2));
  const xml = await listDirectoryXml(
    {
      serviceEndpoint: `${ctx.baseUrl}/${encodeURIComponent(segments[0]!)}/`,
      share: segments[1]!,
      directoryPath: segments.slice(2).join('/'),
      dirReal: target.real,
      dirStats: target.stats,
      shareReal: share.real,
    },
    parseListQuery(url.searchParams, [req.headers['x-ms-file-extended-info']].flat()[0]),
  );
  return {
    status: 200,
    headers: { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(xml) },
    body: xml,
  };
}

export async function handleRequest(ctx: RouterContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  // The raw path, not URL.pathname: the URL parser resolves `..` and `%2e%2e` itself, which would hide a
  // traversal attempt instead of refusing it.
  const rawPath = (req.url ?? '/').split('?')[0]!;
  const url = new URL(req.url ?? '/', 'http://localhost');
  let reply: Reply;
  let failure = '';
  try {
    reply = await serve(ctx, req, rawPath, url);
  } catch (e) {
    const err = e instanceof FilesError ? e : new FilesError(500, 'InternalError');
    failure = ' ' + (err === e ? err.code : `InternalError (${e instanceof Error ? e.message : String(e)})`);
    reply = errorReply(err, req.method === 'HEAD', requestId);
  }
  // Path and query as the client sent them, minus the signature (never the raw URL, which holds `sig`).
  ctx.log?.(`${req.method} ${rawPath}${redactQuery(url.searchParams)} ${reply.status}${failure}`);
  res.writeHead(reply.status, {
    'x-ms-request-id': requestId,
    'x-ms-version': [req.headers['x-ms-version']].flat()[0] ?? DEFAULT_VERSION,
    ...(req.headers['x-ms-client-request-id']
      ? { 'x-ms-client-request-id': [req.headers['x-ms-client-request-id']].flat()[0]! }
      : {}),
    ...reply.headers,
  });
  if (typeof reply.body !== 'object') {
    res.end(reply.body);
    return;
  }
  try {
    await pipeline(reply.body, res);
  } catch (e) {
    // The status line is gone already; all that is left is to say why the body stopped (usually: client left).
    ctx.log?.(`${req.method} ${rawPath} body not completed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
