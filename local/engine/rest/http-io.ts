// Reading requests and writing answers the way ARM did: JSON without nulls, x-ms-request-id on every answer.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ArmHttpError } from './arm-error';
import { readBodyText } from '../../http-body';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

import { MAX_JOB_BODY_BYTES, MAX_JSON_DEPTH, nestedDeeperThan } from '../quota';

const MAX_BODY = 4 * 1024 * 1024;

/** A job PUT (Batch AI's …/experiments/{e}/jobs/{j}, Azure ML's …/jobs/{j}) gets the smaller limit. */
const JOB_PATH = /\/jobs\/[^/]+$/i;

export async function readJsonBody(req: IncomingMessage, path: string): Promise<unknown> {
  const max = JOB_PATH.test(path) ? MAX_JOB_BODY_BYTES : MAX_BODY;
  const tooLarge = () =>
    new ArmHttpError(413, 'RequestEntityTooLarge', `The request body is larger than ${max} bytes.`);
  const text = (await readBodyText(req, max, tooLarge)).trim();
  if (!text) return undefined;
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new ArmHttpError(
      400,
      'InvalidRequestContent',
      `The request content was invalid: expected JSON nested at most ${MAX_JSON_DEPTH} levels deep.`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ArmHttpError(
      400,
      'InvalidRequestContent',
      'The request content was invalid: the body is not valid JSON.',
    );
  }
}

/** Drops nulls and undefined recursively: the service never sent `null`. */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(withoutNulls);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = withoutNulls(x);
    return out;
  }
  return v;
}

export function send(res: ServerResponse, r: Reply): void {
  const headers: Record<string, string> = { 'x-ms-request-id': randomUUID(), ...r.headers };
  if (r.body === undefined) {
    res.writeHead(r.status, { ...headers, 'Content-Length': '0' });
    res.end();
    return;
  }
  const text = JSON.stringify(withoutNulls(r.body));
  res.writeHead(r.status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function errorReply(e: ArmHttpError): Reply {
  return {
    status: e.status,
    headers: { 'x-ms-failure-cause': 'gateway', ...e.headers },
    body: { error: { code: e.code, message: e.message } },
  };
}
