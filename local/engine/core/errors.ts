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
