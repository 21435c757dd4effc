// ARM asynchronous operations. A long-running request answers 202 with `Azure-AsyncOperation`
// (.../operationresults/{id}: 200 with {name,status,startTime,endTime,error?}) and `Location`
// (.../operationstatuses/{id}: 202 while running, 204 when done). Status is read from the core's state when
// asked, so it is always current. Operations live in memory: after a restart their URLs answer 404.
import { randomUUID } from 'node:crypto';
import { API_VERSION } from '../../../shared/core/batchai-paths';
import { ArmHttpError } from './arm-error';
import { dropOldOperations } from './operation-retention';
import type { Reply } from './http-io';
import { iso } from './views';

export type OpStatus = 'InProgress' | 'Succeeded' | { code: string; message: string };

interface Op {
  id: string;
  startTime: number;
  endTime?: number;
  final?: OpStatus;
  check: () => OpStatus;
}

export class Operations {
  private readonly ops = new Map<string, Op>();

  constructor(
    private readonly now: () => number,
    readonly retryAfterSeconds = 1,
  ) {}

  /** Registers an operation and returns the 202 answer that points at it. */
  accepted(baseUrl: string, sub: string, region: string, check: () => OpStatus): Reply {
    const id = randomUUID();
    dropOldOperations(this.ops, this.now());
    this.ops.set(id, { id, startTime: this.now(), check });
    const base = `${baseUrl}/subscriptions/${sub}/providers/Microsoft.BatchAI/locations/${region}`;
    return {
      status: 202,
      headers: {
        'Azure-AsyncOperation': `${base}/operationresults/${id}?api-version=${API_VERSION}`,
        Location: `${base}/operationstatuses/${id}?api-version=${API_VERSION}`,
        'Retry-After': String(this.retryAfterSeconds),
      },
    };
  }

  private status(id: string): Op {
    const op = this.ops.get(id);
    if (!op)
      throw new ArmHttpError(
        404,
        'OperationNotFound',
        `The operation '${id}' was not found (operations do not survive an engine restart).`,
      );
    if (op.final === undefined) {
      let s: OpStatus;
      try {
        s = op.check();
      } catch (e) {
        s = { code: 'OperationFailed', message: e instanceof Error ? e.message : String(e) };
      }
      if (s !== 'InProgress') {
        op.final = s;
        op.endTime = this.now();
      }
    }
    return op;
  }

  result(id: string): Reply {
    const op = this.status(id);
    const s = op.final ?? 'InProgress';
    const body = {
      name: op.id,
      status: typeof s === 'string' ? s : 'Failed',
      startTime: iso(op.startTime),
      ...(op.endTime !== undefined ? { endTime: iso(op.endTime) } : {}),
      ...(typeof s === 'object' ? { error: s } : {}),
    };
    return { status: 200, body, headers: s === 'InProgress' ? { 'Retry-After': String(this.retryAfterSeconds) } : {} };
  }

  location(id: string): Reply {
    const op = this.status(id);
    if (op.final === undefined) return { status: 202, headers: { 'Retry-After': String(this.retryAfterSeconds) } };
    if (typeof op.final === 'object') return { status: 400, body: { error: op.final } };
    return { status: 204 };
  }
}
