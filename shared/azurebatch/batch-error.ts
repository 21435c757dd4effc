// HTTP error answers of the Batch data plane → ComputeError. The service answers OData error bodies
// `{"code","message":{"lang","value"},"values":[{"key","value"}]}`; a gateway may answer HTML or text (or a HEAD
// has no body), which still becomes a BatchError with the status and, for text, a redacted snippet.
import { ComputeError } from '../errors';
import { isRecord } from '../core/json-shape';
import { redactText } from '../core/redact';
import { describeRequest, tryJson } from '../http/json-body';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : undefined;
}

function details(v: unknown): { key?: string; value?: string }[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).map((x) => ({ key: str(x.key), value: str(x.value) }));
}

/** `errorCode` is the `x-ms-error-code`-style header a HEAD answer carries instead of a body, if any. */
/** An Azure Batch error answer in the port's one error shape. */
export function batchError(
  code: string,
  message: string,
  status: number,
  values?: readonly { key?: string; value?: string }[],
): ComputeError {
  return new ComputeError(code, message, status, { backend: 'azurebatch', values });
}

export function batchErrorFromResponse(
  method: string,
  url: string,
  status: number,
  text: string,
  errorCode?: string,
): ComputeError {
  const json = text.trim() ? tryJson(text) : undefined;
  if (isRecord(json)) {
    const message = isRecord(json.message) ? str(json.message.value) : str(json.message);
    const code = str(json.code);
    if (code || message) {
      const values = details(json.values);
      return batchError(
        code ?? `Http${status}`,
        redactText(message ?? `${describeRequest(method, url)} failed with HTTP ${status}.`),
        status,
        values,
      );
    }
  }
  const snippet = redactText(
    text
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  ).slice(0, 200);
  const detail = snippet ? `: ${snippet}` : ' with an empty body';
  return batchError(
    errorCode ?? `Http${status}`,
    `${describeRequest(method, url)} answered HTTP ${status} without a Batch error body${detail}`,
    status,
  );
}
