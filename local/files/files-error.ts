// Failures answered the way Azure Files answers them: a status, an `x-ms-error-code` header and (except for
// HEAD, which has no body) the XML error body the SDK turns into a RestError with `code` and `details`.
import type { Reply } from './reply';
import { escapeXml } from './xml';

const MESSAGES: Record<string, string> = {
  AuthenticationFailed:
    'Server failed to authenticate the request. ' +
    'Make sure the value of Authorization header is formed correctly including the signature.',
  AuthorizationFailure: 'This request is not authorized to perform this operation.',
  AuthorizationPermissionMismatch: 'This request is not authorized to perform this operation using this permission.',
  AuthorizationResourceTypeMismatch:
    'This request is not authorized to perform this operation using this resource type.',
  ResourceNotFound: 'The specified resource does not exist.',
  ParentNotFound: 'The specified parent path does not exist.',
  ShareNotFound: 'The specified share does not exist.',
  InvalidRange: 'The range specified is invalid for the current size of the resource.',
  InvalidHeaderValue: 'The value for one of the HTTP headers is not in the correct format.',
  InvalidQueryParameterValue: 'Value for one of the query parameters specified in the request URI is invalid.',
  InvalidUri: 'The requested URI does not represent any resource on the server.',
  UnsupportedHttpVerb: "The resource doesn't support specified Http Verb.",
  InternalError: 'The server encountered an internal error. Please retry the request.',
};

export class FilesError extends Error {
  override readonly name = 'FilesError';
  /**
   * @param detail extra elements of the error body, e.g. `{ AuthenticationErrorDetail: '...' }`: they say what was
   *   expected, as Azure's own detail elements do.
   */
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(`${code}: ${Object.values(detail).join(' ') || (MESSAGES[code] ?? code)}`);
  }
}

function errorBody(err: FilesError, requestId: string, now = new Date()): string {
  const message = `${MESSAGES[err.code] ?? err.code}\nRequestId:${requestId}\nTime:${now.toISOString()}`;
  const extra = Object.entries(err.detail)
    .map(([tag, text]) => `<${tag}>${escapeXml(text)}</${tag}>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<Error><Code>${err.code}</Code><Message>${escapeXml(message)}</Message>${extra}</Error>`
  );
}

export function errorReply(err: FilesError, isHead: boolean, requestId: string): Reply {
  const body = isHead ? '' : errorBody(err, requestId);
  return {
    status: err.status,
    headers: {
      ...err.headers,
      'x-ms-error-code': err.code,
      'Content-Type': 'application/xml',
      'Content-Length': Buffer.byteLength(body),
    },
    body: isHead ? undefined : body,
  };
}
