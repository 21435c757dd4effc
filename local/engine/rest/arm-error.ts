// ARM error answers: `{"error":{"code","message"}}` with the HTTP status the service used.
import { EngineError } from '../core/errors';

export class ArmHttpError extends Error {
  override readonly name = 'ArmHttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const STATUS: Record<EngineError['kind'], number> = { notFound: 404, invalid: 400, conflict: 409 };

/** Any failure as an ARM error; unexpected ones become 500 InternalServerError without internals. */
export function toArmError(e: unknown): ArmHttpError {
  if (e instanceof ArmHttpError) return e;
  if (e instanceof EngineError) return new ArmHttpError(STATUS[e.kind], e.code, e.message);
  return new ArmHttpError(
    500,
    'InternalServerError',
    'The local engine failed to process the request; see its console.',
  );
}
