// The Azure Functions entry point (package.json "main"): registers every function definition with the v4
// programming model. The local dev host (local/functions-host/) runs the same `definitions` without Core Tools.
import { app } from '@azure/functions';
import { hasTrigger, type FunctionDefinition } from './definition';
import { expireApprovalsFunction } from './expire-approvals';
import { followUpsFunction } from './followups';
import { healthFunction } from './health';
import { idleFunction } from './idle';
import { messagesFunction } from './messages';
import { notifyFunction } from './notify';
import { pollFunction } from './poll';

export const definitions: FunctionDefinition[] = [
  pollFunction, notifyFunction, messagesFunction, healthFunction, expireApprovalsFunction, idleFunction, followUpsFunction,
];

export function register(defs: FunctionDefinition[] = definitions): void {
  for (const def of defs) {
    if (hasTrigger(def, 'timer')) {
      app.timer(def.name, { schedule: def.trigger.schedule, runOnStartup: def.trigger.runOnStartup, handler: def.handler });
    } else if (hasTrigger(def, 'queue')) {
      app.storageQueue(def.name, { queueName: def.trigger.queueName, connection: 'AzureWebJobsStorage', handler: def.handler });
    } else if (hasTrigger(def, 'http')) {
      const { methods, route, authLevel } = def.trigger;
      app.http(def.name, { methods, route, authLevel, handler: def.handler });
    }
  }
}

// Only the Functions worker registers: importing this module from the dev host or a test must not.
if (process.env.FUNCTIONS_WORKER_RUNTIME) register();
