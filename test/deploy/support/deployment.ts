// What a deployment of infra/main.bicep writes into the Function App's settings, computed from the templates
// themselves (bicep-tree.ts evaluates their expressions): main.bicep's parameters from a shipped parameter file,
// each module's params as main.bicep passes them, and each resource's runtime properties (what Azure returns:
// endpoints, client ids) stood in by sample values of the right shape. A module whose condition is false has no
// outputs: reading one fails, as the deployment would.
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { allResources, evaluate, parseBicep, properties, type BicepFile, type Scope, type Value } from './bicep-tree';

export const INFRA = resolve(__dirname, '../../../infra');
export const SUBSCRIPTION = '11111111-2222-3333-4444-555555555555';
export const RESOURCE_GROUP = 'chatops-rg';
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const rgId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}`;
const context: Scope['context'] = {
  resourceGroup: { id: rgId, name: RESOURCE_GROUP, location: 'westeurope' },
  subscription: { subscriptionId: SUBSCRIPTION, tenantId: TENANT },
  environment: { resourceManager: 'https://management.azure.com/' },
  uniqueString: 'q7x2k4m9p1z3a',
};

/** A stable fake GUID per name (client ids, principal ids). */
function guidOf(name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const hex = h.toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}0000`;
}

/** What Azure returns for a module's resources, from the module's own params. */
const STAND_INS: Record<string, (p: (name: string) => Value) => Record<string, Value>> = {
  'identity.bicep': (p) => ({
    identity: {
      id: `${rgId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${p('name')}`,
      name: p('name'),
      properties: {
        clientId: guidOf(`${p('name')}-client`),
        principalId: guidOf(`${p('name')}-principal`),
        tenantId: TENANT,
      },
    },
  }),
  'storage.bicep': (p) => ({
    storage: {
      name: p('name'),
      id: `${rgId}/providers/Microsoft.Storage/storageAccounts/${p('name')}`,
      properties: {
        primaryEndpoints: {
          blob: `https://${p('name')}.blob.core.windows.net/`,
          table: `https://${p('name')}.table.core.windows.net/`,
          queue: `https://${p('name')}.queue.core.windows.net/`,
        },
      },
    },
  }),
  'key-vault.bicep': (p) => ({
    vault: { name: p('name'), properties: { vaultUri: `https://${p('name')}.vault.azure.net/` } },
  }),
  'monitoring.bicep': (p) => ({
    insights: {
      name: p('applicationInsightsName'),
      properties: {
        ConnectionString: 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://x/',
      },
    },
    workspace: { id: `${rgId}/providers/Microsoft.OperationalInsights/workspaces/${p('logAnalyticsName')}` },
  }),
  'azure-batch.bicep': (p) => ({
    account: {
      name: p('accountName'),
      properties: { accountEndpoint: `${p('accountName')}.westeurope.batch.azure.com` },
    },
    pool: { name: p('poolName') },
  }),
  'batch-account-new.bicep': (p) => ({ account: { name: p('name') } }),
  'aml-workspace-roles.bicep': (p) => ({ workspace: { name: p('workspaceName') } }),
  'function-app.bicep': (p) => ({
    app: { name: p('appName'), properties: { defaultHostName: `${p('appName')}.azurewebsites.net` } },
  }),
  'bot.bicep': (p) => ({ bot: { name: p('name') } }),
};

const lazy = (o: Record<string, Value>, key: string, get: () => Value) =>
  Object.defineProperty(o, key, { get, enumerable: true });

/** The scope of a module: its params (each computed on use) and its resources' stand-ins. */
function moduleScope(file: BicepFile, fileName: string, paramValue: (name: string) => Value): Scope {
  if (file.modules.length) throw new Error(`${fileName} calls modules: teach test/deploy/support/deployment.ts`);
  const params: Record<string, Value> = {};
  for (const name of file.params.keys()) lazy(params, name, () => paramValue(name));
  return { params, symbols: STAND_INS[fileName]?.((name) => params[name]) ?? {}, context };
}

/** `symbol → { outputs }` for each module `file` calls, built on use. */
function modulesOf(file: BicepFile, scope: () => Scope): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const m of file.modules) {
    lazy(out, m.symbol, () => {
      if (m.condition && !evaluate(file, m.condition, scope())) {
        throw new Error(`${m.symbol} is not deployed (its condition is false), yet its outputs are read`);
      }
      const path = resolve(join(file.path, '..'), m.path);
      const callee = parseBicep(path);
      const fileName = path.split('/').pop()!;
      const calleeScope = moduleScope(callee, fileName, (name) => {
        const given = m.params.get(name);
        if (given) return evaluate(file, given, scope());
        const d = callee.params.get(name)?.default;
        if (d) return evaluate(callee, d, calleeScope);
        throw new Error(`${m.symbol}: param ${name} not given and without default`);
      });
      const outputs: Record<string, Value> = {};
      for (const [name, expr] of callee.outputs) lazy(outputs, name, () => evaluate(callee, expr, calleeScope));
      return { outputs, scope: calleeScope as unknown as Value, file: callee as unknown as Value };
    });
  }
  return out;
}

export interface Deployment {
  main: BicepFile;
  scope: Scope;
  /** The app settings the `appsettings` resource writes (Key Vault references as written). */
  appSettings(): Record<string, string>;
}

/** main.bicep with a shipped parameter file, plus what a person adds on the command line (`-p name=value`). */
export function deployment(parameterFile: string, extra: Record<string, Value> = {}): Deployment {
  const main = parseBicep(join(INFRA, 'main.bicep'));
  const file = JSON.parse(readFileSync(join(INFRA, parameterFile), 'utf8')) as {
    parameters: Record<string, { value: Value }>;
  };
  const params = { ...Object.fromEntries(Object.entries(file.parameters).map(([k, v]) => [k, v.value])), ...extra };
  const scope: Scope = { params, symbols: {}, context };
  scope.symbols = modulesOf(main, () => scope);
  return {
    main,
    scope,
    appSettings() {
      const functionApp = scope.symbols.functionApp as unknown as { scope: Scope; file: BicepFile };
      const settings = allResources(functionApp.file).find((r) => r.symbol === 'settings');
      if (!settings) throw new Error('function-app.bicep has no `settings` (config/appsettings) resource');
      const props = properties(settings.body).get('properties')!;
      return evaluate(functionApp.file, props, functionApp.scope) as Record<string, string>;
    },
  };
}

/** What App Service does with a Key Vault reference it can resolve: the secret in its place. */
export function resolveKeyVaultReferences(
  settings: Record<string, string>,
  vaultUri: string,
  secrets: Record<string, string>,
): Record<string, string> {
  const ref = /^@Microsoft\.KeyVault\(SecretUri=(https:\/\/[^/]+\/)secrets\/([\w-]+)\/\)$/;
  return Object.fromEntries(
    Object.entries(settings).map(([k, v]) => {
      const m = ref.exec(v);
      if (!m) return [k, v];
      if (m[1] !== vaultUri) throw new Error(`${k} points at vault ${m[1]}, not the template's ${vaultUri}`);
      if (!(m[2] in secrets)) throw new Error(`${k} reads secret ${m[2]}, which the README does not say to set`);
      return [k, secrets[m[2]]];
    }),
  );
}
