// The Azure Functions entry point (package.json "main"). createDefinitions(config) builds every function
// definition from one loaded configuration; under the Functions worker they are registered with the v4
// programming model, and the local dev host (local/start.ts) runs the same definitions from its own config.
// Registration loads no service graph: each function requires its own on its first call
// (functions/service-provider.ts), so a cold start pays for @azure/functions only.
import { app } from '@azure/functions';
import { loadConfig, type Config } from '../shared/config';
import { hasTrigger, type FunctionDefinition } from './definition';
import { createCardActionsFunction } from './card-actions';
import { createExpireApprovalsFunction } from './expire-approvals';
import { createFollowUpsFunction } from './followups';
import { createHealthFunction } from './health';
import { createHealthDetailsFunction } from './health-details';
import { createHousekeepingFunction } from './housekeeping';
import { createIdleFunction } from './idle';
import { createMessagesFunction } from './messages';
import { createNotifyFunction } from './notify';
import { createPollFunction } from './poll';
import { createProgressFunction } from './progress';
import { lazyServices, type ServiceProvider } from './service-provider';
import { createSlackFunction } from './slack';
import { createSlackTurnsFunction } from './slack-turns';

export function createDefinitions(
  config: Config,
  services: ServiceProvider = lazyServices(config),
): FunctionDefinition[] {
  const { schedules } = config;
  return [
    createPollFunction(services.backend, schedules.poll),
    createNotifyFunction(services.all),
    createMessagesFunction(services.all),
    createCardActionsFunction(services.all),
    createSlackFunction(services.slackIntake),
    createSlackTurnsFunction(services.all),
    createHealthFunction(services.backend),
    createHealthDetailsFunction(services.backend),
    createExpireApprovalsFunction(services.all, { schedule: schedules.expireApprovals }),
    createIdleFunction(services.all, { schedule: schedules.idle }),
    createFollowUpsFunction(services.all),
    createProgressFunction(services.all, schedules.progress),
    createHousekeepingFunction(services.backend, { schedule: schedules.housekeeping }),
  ];
}

export function register(defs: FunctionDefinition[]): void {
  for (const def of defs) {
    if (hasTrigger(def, 'timer')) {
      app.timer(def.name, {
        schedule: def.trigger.schedule,
        runOnStartup: def.trigger.runOnStartup,
        handler: def.handler,
      });
    } else if (hasTrigger(def, 'queue')) {
      app.storageQueue(def.name, {
        queueName: def.trigger.queueName,
        connection: 'AzureWebJobsStorage',
        handler: def.handler,
      });
    } else if (hasTrigger(def, 'http')) {
      const { methods, route, authLevel } = def.trigger;
      app.http(def.name, { methods, route, authLevel, handler: def.handler });
    }
  }
}

/**
 * True inside the Functions worker. Flex Consumption takes the runtime from `functionAppConfig` and refuses
 * FUNCTIONS_WORKER_RUNTIME as an app setting, so the setting alone cannot tell; the worker always provides the
 * built-in module `@azure/functions-core` (the check `@azure/functions` itself makes to leave test mode). The
 * setting still counts, so the bench can register in a plain Node process.
 */
function underFunctionsWorker(): boolean {
  if (process.env.FUNCTIONS_WORKER_RUNTIME) return true;
  try {
    require('@azure/functions-core');
    return true;
  } catch {
    return false; // not the worker: a test, the dev host or a script imported this module
  }
}

// Only the Functions worker registers: importing this module from the dev host or a test must not. A missing
// or malformed setting fails here, at startup, with the setting's name.
if (underFunctionsWorker()) register(createDefinitions(loadConfig()));
