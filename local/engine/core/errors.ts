// Coded failures of the engine's core. The core knows nothing of HTTP: each facade maps `kind` to its own
// status codes (ARM: notFound → 404, invalid → 400, conflict → 409).
export type EngineErrorKind = 'notFound' | 'invalid' | 'conflict';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly kind: EngineErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A request the service would refuse as it stands (ARM: 400 InvalidRequestContent). */
export function invalidContent(message: string): EngineError {
  return new EngineError('invalid', 'InvalidRequestContent', message);
}

/** A change to something that is being deleted, or inside it. */
export function deletingConflict(kind: string, name: string): EngineError {
  return new EngineError(
    'conflict',
    'Conflict',
    `The ${kind} '${name}' is being deleted; try again when the deletion has finished.`,
  );
}
