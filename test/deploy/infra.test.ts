// Structural checks on infra/ (no Bicep compiler installs here): the Flex Consumption shape, identities instead
// of keys, role assignments, and wiring between main.bicep, its modules and the backends' parameter files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { codeText, parseBicep, type BicepFile } from './support/bicep-tree';

const INFRA = resolve(__dirname, '../../infra');
const read = (path: string) => readFileSync(path, 'utf8');
const bicepFiles = [
  join(INFRA, 'main.bicep'),
  ...readdirSync(join(INFRA, 'modules')).map((f) => join(INFRA, 'modules', f)),
];
const parsed = new Map<string, BicepFile>(bicepFiles.map((f) => [f, parseBicep(f)]));
const mainFile = parsed.get(join(INFRA, 'main.bicep'))!;
const main = codeText(mainFile);
const modules = Object.fromEntries(
  readdirSync(join(INFRA, 'modules')).map((f) => [f, codeText(parsed.get(join(INFRA, 'modules', f))!)]),
);
const all = [main, ...Object.values(modules)].join('\n');
const PARAMETER_FILES = ['main.azurebatch.parameters.json', 'main.azureml.parameters.json'];

describe('every Bicep file parses, and main.bicep wires its modules', () => {
  it('parses every .bicep file with tree-sitter-bicep, without a syntax error', () => {
    expect(parsed.size).toBe(bicepFiles.length);
    expect(bicepFiles.length).toBeGreaterThan(10);
  });

  it('calls modules whose files exist, and every module file is called', () => {
    const called = new Set<string>();
    for (const [path, file] of parsed)
      for (const m of file.modules) {
        const target = resolve(dirname(path), m.path);
        expect({ from: path, module: m.path, exists: existsSync(target) }).toEqual({
          from: path,
          module: m.path,
          exists: true,
        });
        called.add(target);
      }
    expect([...parsed.keys()].filter((p) => p !== join(INFRA, 'main.bicep') && !called.has(p))).toEqual([]);
  });

  it('passes each module only params it declares, and every param it requires', () => {
    for (const [path, file] of parsed)
      for (const m of file.modules) {
        const declared = parsed.get(resolve(dirname(path), m.path))!.params;
        const given = [...m.params.keys()];
        const unknown = given.filter((p) => !declared.has(p));
        const missing = [...declared].filter(([name, d]) => !d.default && !m.params.has(name)).map(([n]) => n);
        expect({ module: m.symbol, unknown, missing }).toEqual({ module: m.symbol, unknown: [], missing: [] });
      }
  });

  it('reads only outputs the modules declare', () => {
    let reads = 0;
    for (const [path, file] of parsed) {
      const outputsOf = new Map(
        file.modules.map((m) => [m.symbol, parsed.get(resolve(dirname(path), m.path))!.outputs]),
      );
      for (const [, symbol, output] of codeText(file).matchAll(/\b(\w+)\.outputs\.(\w+)/g)) {
        reads++;
        expect({ symbol, output, declared: outputsOf.get(symbol)?.has(output) }).toEqual({
          symbol,
          output,
          declared: true,
        });
      }
    }
    expect(reads).toBeGreaterThan(20);
  });

  it('ships one parameter file per backend: each declared, each required one set, no placeholder ids', () => {
    for (const name of PARAMETER_FILES) {
      const file = JSON.parse(read(join(INFRA, name))) as { parameters: Record<string, { value: unknown }> };
      const given = Object.keys(file.parameters);
      expect({ name, unknown: given.filter((g) => !mainFile.params.has(g)) }).toEqual({ name, unknown: [] });
      const required = [...mainFile.params].filter(([, d]) => !d.default).map(([n]) => n);
      expect({ name, missing: required.filter((r) => !given.includes(r)) }).toEqual({ name, missing: [] });
      // The ids a person must supply are not in a shipped file: a value there would be someone else's.
      expect(given).not.toContain('amlWorkspaceId');
      expect(given).not.toContain('batchAccountId');
      expect(read(join(INFRA, name))).not.toMatch(/\/subscriptions\/|<[^>]+>|ml-rg|gpu-workspace/);
    }
    expect(existsSync(join(INFRA, 'main.parameters.json'))).toBe(false);
  });

  it("outputs what the README's next steps use", () => {
    const readme = read(join(INFRA, '..', 'README.md'));
    for (const o of ['functionAppName', 'botAppId', 'functionAppHostName', 'healthUrl', 'botName', 'keyVaultName']) {
      expect(mainFile.outputs.has(o)).toBe(true);
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

  it('gives the identity its role on the backend it uses, and no Batch AI role', () => {
    expect(main).toMatch(/module azureBatch '.\/modules\/azure-batch.bicep' = if \(useBatch\)/);
    expect(main).toMatch(/module amlRoles '.\/modules\/aml-workspace-roles.bicep' = if \(useAml\)/);
    // Azure Batch Data Contributor on the account; AzureML Data Scientist and Compute Operator on the workspace.
    expect(modules['azure-batch.bicep']).toContain('6aaa78f1-f7de-44ca-8722-c64a23943cae');
    expect(modules['aml-workspace-roles.bicep']).toContain('f6c7c914-8db3-469d-8ca1-694a8f32e121');
    expect(modules['aml-workspace-roles.bicep']).toContain('e503ece1-11d0-4e8e-8e2c-7a6c3bf38815');
    // The pools' upload identity writes the output container (Storage Blob Data Contributor), nothing more.
    expect(main).toMatch(/module uploadRole '.\/modules\/container-role.bicep' = if \(useBatch\)/);
    expect(main).toContain('ba92f5b4-2d11-453d-a403-e96b0029c9fe');
    expect(all).not.toMatch(/BatchAI|grantBatchAiRole/);
  });

  it('keeps the Slack secrets in a Key Vault it creates (RBAC; the identity reads), and creates no secret', () => {
    const kv = modules['key-vault.bicep'];
    expect(kv).toMatch(/enableRbacAuthorization:\s*true/);
    expect(kv).toContain('4633458b-17de-408a-b874-0445c86b69e6'); // Key Vault Secrets User
    expect(all).not.toMatch(/Microsoft\.KeyVault\/vaults\/secrets/);
    expect(modules['function-app.bicep']).toMatch(/keyVaultReferenceIdentity:\s*identityId/);
  });

  it("leaves a pool's node count to the bot: the pool declares no scaleSettings", () => {
    expect(modules['azure-batch.bicep']).toMatch(/'Microsoft\.Batch\/batchAccounts\/pools@/);
    expect(modules['azure-batch.bicep']).not.toMatch(/scaleSettings/);
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
