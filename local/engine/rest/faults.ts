// Fault injection for tests and benchmarks: chosen requests answer 429/500 (with Retry-After), answer slowly, or
// are held (a hold point: the request waits until the faults are cleared, so a test sees what happens meanwhile
// without depending on how fast anything is). In process only (`engine.faults`): no request can reach it, so no
// caller's pattern runs on every path.
import type { Reply } from './http-io';

export interface Fault {
  method?: string;
  path: RegExp;
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  /** How many matching requests to fault (default 1). */
  times?: number;
  /** The request waits until clear(), then goes on (or gets `status`). */
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
