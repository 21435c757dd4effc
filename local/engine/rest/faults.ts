// Fault injection for tests: chosen requests answer 429/500 (with Retry-After), answer slowly, or are held (a
// hold point: the request waits until the faults are cleared, so a test sees what happens meanwhile without
// depending on how fast anything is).
import type { Reply } from './http-io';

export interface Fault {
  method?: string;
  path: RegExp;
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** How many matching requests to fault (default 1). */
  times?: number;
  /** The request waits until clear() (DELETE /_engine/faults), then goes on (or gets `status`). */
  hold?: boolean;
}

export interface FaultInjector {
  add(f: Fault): void;
  clear(): void;
}

const CODES: Record<number, string> = {
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

export class Faults implements FaultInjector {
  private readonly active: Array<Fault & { left: number }> = [];
  private release: () => void = () => undefined;
  private released = this.nextRelease();

  private nextRelease(): Promise<void> {
    return new Promise((resolve) => {
      this.release = resolve;
    });
  }

  add(f: Fault): void {
    this.active.push({ ...f, left: f.times ?? 1 });
  }

  /** Removes every fault and lets every held request go on. */
  clear(): void {
    this.active.length = 0;
    this.release();
    this.released = this.nextRelease();
  }

  /**
   * Consumes the first fault matching the request: its delay, what it waits for when held, and the error answer
   * if it has a status.
   */
  take(method: string, path: string): { delayMs: number; held?: Promise<void>; reply?: Reply } | undefined {
    const i = this.active.findIndex((f) => (!f.method || f.method.toUpperCase() === method) && f.path.test(path));
    if (i < 0) return undefined;
    const f = this.active[i]!;
    if (--f.left <= 0) this.active.splice(i, 1);
    const held = f.hold ? { held: this.released } : {};
    if (f.status === undefined) return { delayMs: f.delayMs ?? 0, ...held };
    const code = CODES[f.status] ?? 'InjectedFault';
    return {
      delayMs: f.delayMs ?? 0,
      ...held,
      reply: {
        status: f.status,
        headers: f.retryAfterSeconds !== undefined ? { 'Retry-After': String(f.retryAfterSeconds) } : {},
        body: { error: { code, message: `Injected fault: ${f.status} ${code}.` } },
      },
    };
  }
}

/** A fault from JSON (`path` as a regular expression string), as POSTed to /_engine/faults. */
export function faultFromJson(v: unknown): Fault {
  if (typeof v !== 'object' || v === null)
    throw new Error('expected a JSON object {path, method?, status?, retryAfterSeconds?, delayMs?, times?, hold?}');
  const o = v as Record<string, unknown>;
  if (typeof o.path !== 'string') throw new Error("'path' must be a string holding a regular expression");
  const num = (k: string): number | undefined => {
    if (o[k] === undefined) return undefined;
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) throw new Error(`'${k}' must be a number`);
    return o[k] as number;
  };
  if (o.method !== undefined && typeof o.method !== 'string') throw new Error("'method' must be a string");
  if (o.hold !== undefined && typeof o.hold !== 'boolean') throw new Error("'hold' must be true or false");
  let path: RegExp;
  try {
    path = new RegExp(o.path);
  } catch {
    throw new Error(`'path' is not a valid regular expression: ${o.path}`);
  }
  return {
    path,
    method: o.method as string | undefined,
    status: num('status'),
    retryAfterSeconds: num('retryAfterSeconds'),
    delayMs: num('delayMs'),
    times: num('times'),
    ...(o.hold ? { hold: true } : {}),
  };
}
