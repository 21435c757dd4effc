// The Batch data plane's error answers: OData bodies `{"odata.metadata","code","message":{"lang","value"},
// "values"}` with the service's codes. Core failures (EngineError) map by kind.
import { EngineError } from '../core/errors';

export class BatchHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly values: { key: string; value: string }[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const STATUS = { notFound: 404, invalid: 400, conflict: 409 } as const;

export function toBatchError(e: unknown): BatchHttpError {
  if (e instanceof BatchHttpError) return e;
  if (e instanceof EngineError)
    return new BatchHttpError(STATUS[e.kind], e.kind === 'invalid' ? 'InvalidRequestBody' : e.code, e.message);
  return new BatchHttpError(
    500,
    'InternalServerError',
    'The server encountered an internal error. Please retry the request.',
  );
}

export function notFound(
  kind: 'Pool' | 'Job' | 'Task' | 'Node' | 'File' | 'JobSchedule' | 'Certificate' | 'Application',
  id: string,
): BatchHttpError {
  return new BatchHttpError(
    404,
    `${kind}NotFound`,
    `The specified ${kind === 'JobSchedule' ? 'job schedule' : kind.toLowerCase()} does not exist.`,
    [{ key: `${kind}Id`, value: id }],
  );
}

export function missingProperty(name: string): BatchHttpError {
  return new BatchHttpError(
    400,
    'MissingRequiredProperty',
    `A required property was not specified in the request body: ${name}.`,
    [{ key: 'PropertyName', value: name }],
  );
}

export function invalidProperty(name: string, reason: string): BatchHttpError {
  return new BatchHttpError(
    400,
    'InvalidPropertyValue',
    `The value provided for one of the properties in the request body is invalid: ${name}: ${reason}.`,
    [
      { key: 'PropertyName', value: name },
      { key: 'Reason', value: reason },
    ],
  );
}
