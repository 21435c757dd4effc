// What every trigger shares: an InvocationContext whose log lines carry the function name, and a tracker of
// running invocations so that stop() can wait for them instead of cutting a handler off half-way.
import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import type { TriggerMetadata } from '@azure/functions';

export type HostLog = (line: string) => void;

export function createContext(
  functionName: string,
  log: HostLog,
  triggerMetadata?: TriggerMetadata,
): InvocationContext {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName,
    triggerMetadata,
    logHandler: (level, ...args) => log(`[${functionName}] ${level}: ${args.map(formatArg).join(' ')}`),
  });
}

function formatArg(a: unknown): string {
  if (typeof a === 'string') return a;
  // Errors print their message, not the stack: log lines are read by people, stacks live in the debugger.
  if (a instanceof Error) return `${a.name}: ${a.message}`;
  try {
    return JSON.stringify(a);
  } catch {
    return String(a);
  }
}

export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  get size(): number {
    return this.running.size;
  }

  /** Runs `work`, remembering it until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
