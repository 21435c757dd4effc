// The fault plan (fault-plan.ts) put in front of the ports the functions host calls, without touching a call
// site: the compute port, the proactive sender (sends and card updates), the events and followups queues, and
// every Table request (a pipeline policy, through the stores' `tablePolicies`). Each turns the plan's fault into
// what that transport would give.
import { createHttpHeaders, RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';
import type { ComputePort } from '../../../shared/compute/port';
import { ComputeError } from '../../../shared/errors';
import type { ConversationSender } from '../../../shared/services/conversation-sender';
import type { AlertPort } from '../../../shared/services/notifier';
import type { FollowUpQueue } from '../../../shared/storage/followup-queue';
import type { EventQueue } from '../../../shared/storage/event-queue';
import type { FaultKind, FaultPlan } from './fault-plan';

const STATUS: Partial<Record<FaultKind, number>> = { 429: 429, 500: 500, 503: 503 };

/** What a compute adapter throws for the fault: its ComputeError, or the JSON parser's error for a cut body. */
function computeFault(port: ComputePort, fault: FaultKind): Error {
  const backend = port.backend;
  if (fault === 'truncated') return new SyntaxError('Unexpected end of JSON input (injected truncated body)');
  const status = STATUS[fault] ?? 0;
  const code = status ? `Injected${status}` : fault === 'reset' ? 'ECONNRESET' : 'ETIMEDOUT';
  const retry = status === 429 ? ' Retry after 1 s.' : '';
  return new ComputeError(code, `Injected fault: ${fault}.${retry}`, status, { backend });
}

type AnyFn = (...args: unknown[]) => unknown;

/** Makes the call; a kill that lands after it does so whatever the call's answer (an error answer too). */
async function after<T>(plan: FaultPlan, dieAfter: boolean | undefined, point: string, call: () => Promise<T>) {
  try {
    return await call();
  } finally {
    if (dieAfter) plan.die(point);
  }
}

/** Every method of the port that calls the service asks the plan first; a listing, when its first page is read. */
export function faultyCompute(port: ComputePort, plan: FaultPlan): ComputePort {
  const wrapped = {} as Record<string, unknown>;
  for (const name of Object.keys(port) as Array<keyof ComputePort>) {
    const member = port[name] as unknown;
    if (typeof member !== 'function') {
      wrapped[name] = member;
      continue;
    }
    const fn = member as AnyFn;
    if (name.startsWith('list')) {
      wrapped[name] = (...args: unknown[]) => ({
        async *[Symbol.asyncIterator]() {
          const { fault, dieAfter } = plan.enter(`compute.${name}`, JSON.stringify(args));
          if (fault) throw computeFault(port, fault);
          yield* fn.apply(port, args) as AsyncIterable<unknown>;
          if (dieAfter) plan.die(`compute.${name}`);
        },
      });
    } else if (name === 'describeSubmit' || name === 'releaseListing') {
      // No request behind them (a description; dropping a listing held in memory): nothing to fail.
      wrapped[name] = fn.bind(port);
    } else {
      wrapped[name] = async (...args: unknown[]) => {
        const { fault, dieAfter } = plan.enter(`compute.${name}`, JSON.stringify(args));
        if (fault) throw computeFault(port, fault);
        return after(plan, dieAfter, `compute.${name}`, () => fn.apply(port, args) as Promise<unknown>);
      };
    }
  }
  return wrapped as unknown as ComputePort;
}

/**
 * Throttling, server errors and resets fail before the message reaches the channel; a timeout or a cut answer
 * fails after it arrived (the sender cannot tell: a retry sends it again, as with the real connector).
 */
export function faultySender(sender: AlertPort, plan: FaultPlan): AlertPort {
  return { send: (conv, view) => chatCall(plan, 'chat.send', conv.conversationId, () => sender.send(conv, view)) };
}

/** A card's sends and in-place updates (a follow-up's), each asking the plan as faultySender's sends do. */
export function faultyCardSender(sender: ConversationSender, plan: FaultPlan): ConversationSender {
  return {
    send: (conv, view) => chatCall(plan, 'chat.send', conv.conversationId, () => sender.send(conv, view)),
    update: (conv, id, view) => chatCall(plan, 'chat.update', conv.conversationId, () => sender.update(conv, id, view)),
  };
}

async function chatCall<T>(plan: FaultPlan, point: string, key: string, call: () => Promise<T>): Promise<T> {
  const { fault, dieAfter } = plan.enter(point, key);
  // As the connector's client throws: a RestError with the answer's status, or the transport's code.
  const failure =
    fault &&
    new RestError(`Injected fault on ${point}: ${fault}`, {
      statusCode: STATUS[fault] ?? 0,
      ...(STATUS[fault] ? {} : { code: fault === 'reset' ? 'ECONNRESET' : 'ETIMEDOUT' }),
    });
  if (failure && fault !== 'timeout' && fault !== 'truncated') throw failure;
  const result = await after(plan, dieAfter, point, call);
  if (failure) throw failure;
  return result;
}

/**
 * The enqueue of a tick's batch, or of a message again: a fault fails it before the message is sent. A held
 * message's settling is not instrumented: the harness lets a hold lapse at once (a released message), as its drain
 * does a dead host's messages.
 */
export function faultyEvents(events: EventQueue, plan: FaultPlan): EventQueue {
  const send = async <T>(point: string, key: string, call: () => Promise<T>): Promise<T> => {
    const { fault, dieAfter } = plan.enter(point, key);
    if (fault) throw new RestError(`Injected fault on ${point}: ${fault}`, { statusCode: STATUS[fault] ?? 0 });
    return after(plan, dieAfter, point, call);
  };
  return {
    ...events,
    enqueue: (workspace, evs, tickAt, holdSeconds) =>
      send('queue.enqueue', workspace.workspace, () => events.enqueue(workspace, evs, tickAt, holdSeconds)),
    requeue: (message, delay) =>
      send('queue.requeue', message.workspace.workspace, () => events.requeue(message, delay)),
  };
}

/**
 * The `followups` queue's sends (a chain's first step, a step's successor); its table calls (the chain's row) go
 * through the Table policy below.
 */
export function faultyFollowUps(followUps: FollowUpQueue, plan: FaultPlan): FollowUpQueue {
  const send = async <T>(key: string, call: () => Promise<T>): Promise<T> => {
    const { fault, dieAfter } = plan.enter('queue.followup', key);
    if (fault) throw new RestError(`Injected fault on queue.followup: ${fault}`, { statusCode: STATUS[fault] ?? 0 });
    return after(plan, dieAfter, 'queue.followup', call);
  };
  return {
    ...followUps,
    start: (m) => send(m.activityId, () => followUps.start(m)),
    enqueue: (m) => send(m.activityId, () => followUps.enqueue(m)),
  };
}

/**
 * A Table pipeline policy (per call, so the SDK's own retries do not hide the fault): status faults throw the
 * RestError the SDK gives for that answer; a reset or timeout throws as the transport would; a truncated body
 * lets the request reach the table (a write happens) and cuts the answer.
 */
export function faultyTablePolicy(plan: FaultPlan): PipelinePolicy {
  return {
    name: 'chaosFaults',
    async sendRequest(request, next) {
      const url = new URL(request.url);
      const { fault, dieAfter } = plan.enter(`table.${request.method}`, `${url.pathname}${url.search}`);
      const status = fault && STATUS[fault];
      if (status) {
        // Thrown as the SDK's deserializer throws an error answer (this policy sits before it, per call).
        const bodyAsText = JSON.stringify({
          'odata.error': { code: 'Injected', message: { value: `fault ${status}` } },
        });
        const headers = createHttpHeaders({ 'content-type': 'application/json', 'retry-after': '1' });
        throw new RestError(`Injected fault: ${status}`, {
          statusCode: status,
          request,
          response: { request, status, headers, bodyAsText },
        });
      }
      if (fault === 'reset') throw new RestError('socket hang up (injected)', { code: 'ECONNRESET', request });
      if (fault === 'timeout') throw new RestError('request timed out (injected)', { code: 'ETIMEDOUT', request });
      const response = await after(plan, dieAfter, `table.${request.method}`, () => next(request));
      if (fault === 'truncated') {
        // As the SDK's deserializer reports a body it cannot parse.
        throw new RestError('Unexpected end of JSON input (injected truncated body)', {
          code: 'PARSE_ERROR',
          statusCode: response.status,
          request,
        });
      }
      return response;
    },
  };
}
