// HTTP error answers → ComputeError. ARM bodies are `{"error":{"code","message","target"}}`; a gateway or proxy
// may answer HTML or plain text instead, which still becomes an ArmError with the status and a readable
// snippet. Messages name the method and path only: never the query, headers or the bearer token.
import type { ComputeBackend } from '../compute/model';
import { ComputeError } from '../errors';
import { isObject, pick } from './parse';
import { redactText } from '../core/redact';
import { describeRequest, tryJson } from '../http/json-body';

const SNIPPET = 200;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : undefined;
}

/** An ARM error answer (Batch AI's by default; Azure ML speaks ARM too) in the port's one error shape. */
export function armError(
  code: string,
  message: string,
  status: number,
  target?: string,
  backend: ComputeBackend = 'batchai',
): ComputeError {
  return new ComputeError(code, message, status, { backend, target });
}

export function armErrorFromResponse(
  method: string,
  url: string,
  status: number,
  text: string,
  backend: ComputeBackend = 'batchai',
): ComputeError {
  const json = text.trim() ? tryJson(text) : undefined;
  const body = isObject(json)
    ? isObject(pick(json, 'error'))
      ? (pick(json, 'error') as Record<string, unknown>)
      : json
    : undefined;
  const code = body && str(pick(body, 'code'));
  const message = body && str(pick(body, 'message'));
  if (code || message) {
    return armError(
      code ?? `Http${status}`,
      redactText(message ?? `${describeRequest(method, url)} failed with HTTP ${status}.`),
      status,
      body && str(pick(body, 'target')),
      backend,
    );
  }
  const snippet = redactText(
    text
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  ).slice(0, SNIPPET);
  const detail = snippet ? `: ${snippet}` : ' with an empty body';
  return armError(
    `Http${status}`,
    `${describeRequest(method, url)} answered HTTP ${status} without an ARM error body${detail}`,
    status,
    undefined,
    backend,
  );
}
