// Coded errors: every failure the product reports to a person carries a stable code and a message that says
// what was expected. One `toError` turns anything thrown into an Error; entry points have one top-level handler.

/** An ARM error body `{"error":{"code","message"}}` from Batch AI (or the local engine). */
export class ArmError extends Error {
  override readonly name = 'ArmError';
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: number,
    readonly target?: string,
  ) {
    super(message);
  }
}

/**
 * An OData error body `{"code","message":{"lang","value"},"values":[{"key","value"}]}` from the Azure Batch data
 * plane (or the local engine's Batch facade). `values` carry details such as the reason of a 409.
 */
export class BatchError extends Error {
  override readonly name = 'BatchError';
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: number,
    readonly values: readonly { key?: string; value?: string }[] = [],
  ) {
    super(message);
  }
}

/** Input from a person or a file (a chat command, a template, a card payload) that does not fit. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A response that does not have the shape we expected (an API answer, a stored row). */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(message: string) {
    super(message);
  }
}

export function toError(e: unknown): Error {
  if (e instanceof Error) return e;
  return new Error(typeof e === 'string' ? e : JSON.stringify(e));
}

export function isNotFound(e: unknown): boolean {
  return (e instanceof ArmError || e instanceof BatchError) && e.statusCode === 404;
}
