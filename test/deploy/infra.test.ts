// Structural checks on infra/ (no Bicep compiler installs here): the Flex Consumption shape, identities instead
// of keys, role assignments, and wiring between main.bicep, its modules and main.parameters.json.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { moduleCalls, outputs, params, stripComments } from './support/bicep-text';

const INFRA = resolve(__dirname, '../../infra');
const read = (path: string) => readFileSync(path, 'utf8');
const main = read(join(INFRA, 'main.bicep'));
const modules = Object.fromEntries(
  readdirSync(join(INFRA, 'modules')).map((f) => [f, stripComments(read(join(INFRA, 'modules', f)))]),
);
const all = [stripComments(main), ...Object.values(modules)].join('\n');

describe('main.bicep wiring', () => {
  const calls = moduleCalls(main);

  it('calls each concern as a module, and every module file exists', () => {
    expect(calls.map((c) => c.path).sort()).toEqual([
      './modules/bot.bicep',
      './modules/function-app.bicep',
      './modules/identity.bicep',
      './modules/monitoring.bicep',
      './modules/role-on-batch-account.bicep',
      './modules/role-on-resource-group.bicep',
      './modules/storage-roles.bicep',
      './modules/storage.bicep',
    ]);
    for (const c of calls) expect(existsSync(resolve(INFRA, c.path))).toBe(true);
  });

  it('passes each module only params it declares, and every param it requires', () => {
    for (const c of calls) {
      const declared = params(read(resolve(INFRA, c.path)));
      expect({ module: c.path, unknown: c.params.filter((p) => !declared.some((d) => d.name === p)) }).toEqual({
        module: c.path,
        unknown: [],
      });
      const required = declared.filter((d) => !d.hasDefault).map((d) => d.name);
      expect({ module: c.path, missing: required.filter((r) => !c.params.includes(r)) }).toEqual({
        module: c.path,
        missing: [],
      });
    }
  });

  it('reads only outputs the modules declare', () => {
    const symbols = Object.fromEntries(calls.map((c) => [c.symbol, outputs(read(resolve(INFRA, c.path)))]));
    const used = [...stripComments(main).matchAll(/\b(\w+)\.outputs\.(\w+)/g)];
    expect(used.length).toBeGreaterThan(10);
    for (const [, symbol, output] of used)
      expect({ symbol, output, declared: symbols[symbol]?.includes(output) }).toEqual({
        symbol,
        output,
        declared: true,
      });
  });

  it('declares every parameter main.parameters.json sets, and the file sets every required one', () => {
    const file = JSON.parse(read(join(INFRA, 'main.parameters.json'))) as { parameters: Record<string, unknown> };
    const declared = params(main);
    const given = Object.keys(file.parameters);
    expect(given.filter((g) => !declared.some((d) => d.name === g))).toEqual([]);
    expect(declared.filter((d) => !d.hasDefault && !given.includes(d.name)).map((d) => d.name)).toEqual([]);
  });

  it("outputs what the README's next steps use", () => {
    const readme = read(join(INFRA, '..', 'README.md'));
    for (const o of ['functionAppName', 'botAppId', 'functionAppHostName', 'healthUrl', 'botName']) {
      expect(outputs(main)).toContain(o);
      expect(readme).toContain(o);
    }
  });
});

describe('Flex Consumption on Node 22', () => {
  const app = modules['function-app.bicep'];

  it('uses an FC1 plan and no Consumption (Y1 / Dynamic) plan anywhere', () => {
    expect(app).toMatch(/sku:\s*\{\s*tier:\s*'FlexConsumption'\s*name:\s*'FC1'/);
    expect(all).not.toMatch(/'Y1'|'Dynamic'|linuxFxVersion/);
  });

  it('configures functionAppConfig: blob deployment as the identity, scale and memory, node 22', () => {
    expect(app).toMatch(/functionAppConfig:\s*\{\s*deployment:\s*\{\s*storage:\s*\{\s*type:\s*'blobContainer'/);
    expect(app).toMatch(
      /authentication:\s*\{\s*type:\s*'UserAssignedIdentity'\s*userAssignedIdentityResourceId:\s*identityId/,
    );
    expect(app).toMatch(
      /scaleAndConcurrency:\s*\{\s*maximumInstanceCount:\s*maximumInstanceCount\s*instanceMemoryMB:\s*instanceMemoryMB/,
    );
    expect(app).toMatch(/runtime:\s*\{\s*name:\s*'node'\s*version:\s*'22'/);
  });

  it('reaches storage by identity: AzureWebJobsStorage__* settings, no key, no connection string', () => {
    for (const s of [
      'AzureWebJobsStorage__accountName',
      "AzureWebJobsStorage__credential: 'managedidentity'",
      'AzureWebJobsStorage__clientId',
      'AZURE_CLIENT_ID',
    ])
      expect(app).toContain(s);
    expect(all).not.toMatch(/listKeys\(|AccountKey=|AzureWebJobsStorage:/);
    expect(modules['storage.bicep']).toMatch(/allowSharedKeyAccess:\s*false/);
  });

  it('sets no app setting Flex Consumption refuses', () => {
    expect(app).not.toMatch(
      /FUNCTIONS_WORKER_RUNTIME|FUNCTIONS_EXTENSION_VERSION|WEBSITE_RUN_FROM_PACKAGE|WEBSITE_NODE_DEFAULT_VERSION/,
    );
  });
});

describe('identities and roles', () => {
  it('creates workspace-based Application Insights on a Log Analytics workspace', () => {
    const m = modules['monitoring.bicep'];
    expect(m).toMatch(/'Microsoft.OperationalInsights\/workspaces@/);
    expect(m).toMatch(/WorkspaceResourceId:\s*workspace\.id/);
    expect(m).toMatch(/IngestionMode:\s*'LogAnalytics'/);
  });

  it('gives the identity Blob Data Owner, Queue and Table Data Contributor on the storage account', () => {
    const m = modules['storage-roles.bicep'];
    for (const id of [
      'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
      '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
      '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
    ])
      expect(m).toContain(id);
    expect(m).toMatch(/'Microsoft.Authorization\/roleAssignments@[\d-]+' = \[for role in items\(roles\)/);
  });

  it('gives the identity the compute role on the Batch AI resource groups and the Batch account, as parameters', () => {
    expect(main).toMatch(
      new RegExp(
        /module batchAiRoles '.\/modules\//.source +
          /role-on-resource-group.bicep' = \[for rg in batchAiResourceGroups: if \(grantBatchAiRole\)/.source,
      ),
    );
    expect(main).toMatch(
      /module batchAccountRole '.\/modules\/role-on-batch-account.bicep' = if \(!empty\(batchAccountId\)\)/,
    );
    expect(params(main).map((p) => p.name)).toEqual(
      expect.arrayContaining(['computeRoleDefinitionId', 'batchAccountId', 'grantBatchAiRole']),
    );
  });

  it('registers the bot as the user-assigned identity with Teams, and Slack only when given', () => {
    const m = modules['bot.bicep'];
    expect(m).toMatch(
      new RegExp(
        /msaAppType:\s*'UserAssignedMSI'\s*msaAppId:\s*identityClientId\s*/.source +
          /msaAppTenantId:\s*tenantId\s*msaAppMSIResourceId:\s*identityId/.source,
      ),
    );
    expect(m).toMatch(/channelName:\s*'MsTeamsChannel'/);
    expect(m).toMatch(/resource slack '[^']+' = if \(!empty\(slackClientId\)\)/);
    expect(m).toMatch(/@secure\(\)\s*param slackClientSecret/);
  });
});
