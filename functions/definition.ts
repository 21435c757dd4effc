// One plain definition per function: the Azure Functions registration (functions/index.ts → app.*) and the
// local dev host (local/functions-host/) both consume these, so the same handler runs in both places.
import type { HttpRequest, HttpResponseInit, InvocationContext, Timer } from '@azure/functions';

export type FunctionDefinition =
  | {
      name: string;
      trigger: { type: 'timer'; schedule: string; runOnStartup?: boolean };
      handler: (timer: Timer, context: InvocationContext) => Promise<void>;
    }
  | {
      name: string;
      trigger: { type: 'queue'; queueName: string };
      /** Throwing leaves the message for a retry; after host.json's maxDequeueCount it goes to `<queue>-poison`. */
      handler: (message: unknown, context: InvocationContext) => Promise<void>;
    }
  | {
      name: string;
      trigger: { type: 'http'; methods: Array<'GET' | 'POST'>; route: string; authLevel: 'anonymous' | 'function' };
      /** The largest body the function needs: the local host reads no more (Azure's own cap is 100 MB). */
      maxBodyBytes?: number;
      handler: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;
    };

/** A chat activity or a Slack event is far below this: a larger body is no request of theirs. */
export const CHAT_BODY_BYTES = 1024 * 1024;

export type TriggerType = FunctionDefinition['trigger']['type'];
export type DefinitionOf<T extends TriggerType> = Extract<FunctionDefinition, { trigger: { type: T } }>;

/** TypeScript does not narrow a union by a nested discriminant: this guard does it once for every consumer. */
export function hasTrigger<T extends TriggerType>(def: FunctionDefinition, type: T): def is DefinitionOf<T> {
  return def.trigger.type === type;
}
