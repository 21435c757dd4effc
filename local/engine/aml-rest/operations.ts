// The facade's long-running operations: a compute PATCH answers 202 with `Azure-AsyncOperation` (a status document
// {"status": "InProgress" | "Succeeded" | "Failed"}), a job cancel 202 with `Location` (202 while running, 200
// when done), as the live service does. Status is read from the core when asked; operations live in memory.
import { randomUUID } from 'node:crypto';
import { ArmHttpError } from '../rest/arm-error';
import type { Reply } from '../rest/http-io';
import { dropOldOperations } from '../rest/operation-retention';

export type AmlOpStatus = 'InProgress' | 'Succeeded' | 'Failed';

interface Op {
  startTime: number;
  endTime?: number;
  final?: AmlOpStatus;
  check: () => AmlOpStatus;
}

export class AmlOperations {
  private readonly ops = new Map<string, Op>();

  constructor(private readonly now: () => number) {}

  /** Registers an operation; the URL that reports it (below `base`, the facade's origin + location path). */
  start(
    base: string,
    kind: 'computeOperationsStatus' | 'mfeOperationResults',
    apiVersion: string,
    check: () => AmlOpStatus,
  ): string {
    const id = randomUUID();
    dropOldOperations(this.ops, this.now());
    this.ops.set(id, { startTime: this.now(), check });
    return `${base}/${kind}/${id}?api-version=${apiVersion}`;
  }

  private status(id: string): Op {
    const op = this.ops.get(id);
    if (!op)
      throw new ArmHttpError(
        404,
        'NotFound',
        `The operation '${id}' was not found (operations do not survive an engine restart).`,
      );
    if (op.final === undefined) {
      const s = op.check();
      if (s !== 'InProgress') {
        op.final = s;
        op.endTime = this.now();
      }
    }
    return op;
  }

  /** The Azure-AsyncOperation document. */
  asyncStatus(id: string): Reply {
    const op = this.status(id);
    const status = op.final ?? 'InProgress';
    return {
      status: 200,
      body: {
        status,
        ...(status === 'Failed' ? { error: { code: 'OperationFailed', message: 'The operation failed.' } } : {}),
      },
    };
  }

  /** The Location answer: 202 while running, 200 with an empty body once done. */
  location(id: string): Reply {
    const op = this.status(id);
    return op.final === undefined ? { status: 202, headers: { 'Retry-After': '1' } } : { status: 200 };
  }
}
