// One typed configuration, read from the environment once, at the composition roots only (functions/index.ts
// under the Functions worker; local/start.ts builds its own). Everything else receives the parts it needs, as
// a value: nothing reads the environment when a module loads. Documented in README.md and
// local.settings.example.json.
import { InputError } from './errors';
import type { WorkspaceRef } from './compute/model';
import type { StorageAccountSetting } from './templates/job-file-fill';

export type { StorageAccountSetting } from './templates/job-file-fill';
import { parseRetention, type RetentionMs } from './storage/retention';
import type { StorageSettings } from './storage/table';
import { isRole, ROLES, type Role } from './core/roles';

export interface Config {
  /** Which compute service the workspaces live on, and where. */
  compute: ComputeSettings & ComputeCommon;
  /** Old setting names found in the environment, each with the name that replaces it (shown on /api/health). */
  deprecatedSettings: Array<{ name: string; use: string }>;
  /**
   * Tables and Queues: AzureWebJobsStorage (a connection string) or, without it, AzureWebJobsStorage__* (an
   * identity).
   */
  storage: StorageSettings;
  bot: {
    appId: string;
    appPassword: string;
    appTenantId: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  };
  /** NCRONTAB (six fields) of each timer. */
  schedules: {
    poll: string;
    idle: string;
    expireApprovals: string;
    /** The progress reader (its own budget, apart from the poll tick). */
    progress: string;
    /** Expiry of cache and queue tables (shared/storage/housekeeping-store.ts). */
    housekeeping: string;
  };
  /** Retention of the tables the housekeeping timer expires (shared/storage/retention.ts; RETENTION overrides). */
  retention: RetentionMs;
  policy: {
    /** A resize to more nodes than this asks an approver first. */
    resizeApprovalThreshold: number;
    /** Minutes a cluster may hold idle nodes before it is scaled to zero. */
    idleMinutes: number;
    /** Chat user ids allowed to approve (never their own request); empty = anyone but the requester. */
    approvers: string[];
    /** An approval request nobody answered expires after this many minutes. */
    approvalTtlMinutes: number;
    /** Minutes between the idle warning card and the scale-down (time to press "Keep it up"). */
    idleGraceMinutes: number;
    /** Chat user ids that are always admin (bootstrap: they grant the other roles). */
    admins: string[];
    /** The role of everyone without a grant: operator locally (no app id), viewer once an app id is set. */
    defaultRole: Role;
    /** A scale request estimated above this many USD per hour waits for an approver too; unset = no budget. */
    approvalBudgetPerHour?: number;
    /** A price table (JSON, core/prices.ts shape) over the shipped one. */
    pricesFile?: string;
  };
  logs: {
    /** Bytes read from the end of stdout.txt for a tail: one ranged request. */
    tailBytes: number;
    /** Lines shown in a card. */
    tailLines: number;
    linkExpiryMinutes: number;
  };
  /** The Slack app on Slack's own protocol; absent when SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set. */
  slack?: {
    /** Verifies that a request to /api/slack/events comes from Slack. */
    signingSecret: string;
    /** `xoxb-…`: posts and updates messages. */
    botToken: string;
    /** Slack's Web API (https://slack.com/api/), or the local Slack. */
    apiUrl: string;
    /** A running job's chart is uploaded again at most this often (SLACK_CHART_SECONDS, default 300). */
    chartEverySeconds: number;
    /** Slack file calls per minute charts may make, uploads and deletes (SLACK_FILE_CALLS_PER_MINUTE, default 20). */
    fileCallsPerMinute: number;
  };
  /** The progress reader's budget: shared/core/progress-plan.ts. */
  progress: {
    /** A job's card is updated with progress at most this often. */
    updateSeconds: number;
    /** Watched running jobs looked at per tick (each: one listing and at most two ranged reads). */
    maxJobsPerTick: number;
    /** No growth of stdout and stderr this long gets one stuck alert (a template may set its own). */
    stallMinutes: number;
  };
  followUps: {
    /** Seconds between two checks of a long operation whose card is updated in place (a queue message's delay). */
    delaySeconds: number;
    /** A card stops being updated after this many minutes (the card then says to press Refresh). */
    maxMinutes: number;
  };
}

export interface ComputeCommon {
  /** ARM endpoint: https://management.azure.com, or the local engine's URL. */
  endpoint: string;
  subscriptionId: string;
  /** Workspaces (Batch AI workspaces, Batch accounts) the poller watches and the bot defaults to (first one). */
  workspaces: WorkspaceRef[];
  /** Default experiment and cluster for commands that do not name one. */
  defaultExperiment: string;
  defaultCluster: string;
  /** Non-empty only for the local engine: a fixed bearer token instead of an Azure AD credential. */
  localToken?: string;
  /**
   * The storage account that fills what `az batchai job create` filled from --storage-account-name/-key:
   * `<AZURE_BATCHAI_STORAGE_ACCOUNT>` in mount URLs, missing account names and credentials.
   */
  storageAccount?: StorageAccountSetting;
}

/**
 * COMPUTE_BACKEND=batchai (default): the Microsoft.BatchAI ARM API at COMPUTE_ARM_ENDPOINT.
 * COMPUTE_BACKEND=azurebatch: every workspace is a Batch account (COMPUTE_WORKSPACES = resourceGroup/account)
 * whose data-plane endpoint AZURE_BATCH_ACCOUNTS names, or ARM's resource list finds (`*`).
 * COMPUTE_BACKEND=azureml: every workspace is an Azure ML workspace (Microsoft.MachineLearningServices on
 * COMPUTE_ARM_ENDPOINT); COMPUTE_CA_FILE trusts a local stand-in's certificate.
 */
export type ComputeSettings =
  | { backend: 'batchai' }
  | {
      backend: 'azureml';
      /** COMPUTE_CA_FILE: a PEM file of a CA trusted besides the system's (the engine's Azure ML facade). */
      caFile?: string;
    }
  | {
      backend: 'azurebatch';
      /** Account name → endpoint; `discover` = find them through ARM (AZURE_BATCH_ACCOUNTS=*). */
      accounts: AzureBatchAccountSetting[] | 'discover';
      /** AZURE_BATCH_ACCOUNT_KEY: Shared Key (the local engine's well-known key); absent = Azure AD. */
      accountKey?: string;
      /**
       * AZURE_BATCH_OUTPUT_CONTAINER_URL + AZURE_BATCH_OUTPUT_IDENTITY; absent = container `batch-outputs` of
       * AzureWebJobsStorage (a connection string with a key).
       */
      output?: { containerUrl: string; identity: string };
    };

export interface AzureBatchAccountSetting {
  account: string;
  endpoint: string;
}

type Env = Record<string, string | undefined>;

/** The settings renamed when the product stopped being Batch AI only: new name → the old one, still read. */
export const RENAMED_SETTINGS: Readonly<Record<string, string>> = {
  COMPUTE_WORKSPACES: 'BATCHAI_WORKSPACES',
  COMPUTE_SUBSCRIPTION_ID: 'BATCHAI_SUBSCRIPTION_ID',
  COMPUTE_ARM_ENDPOINT: 'BATCHAI_ENDPOINT',
  COMPUTE_DEFAULT_EXPERIMENT: 'BATCHAI_DEFAULT_EXPERIMENT',
  COMPUTE_DEFAULT_CLUSTER: 'BATCHAI_DEFAULT_CLUSTER',
  COMPUTE_LOCAL_TOKEN: 'BATCHAI_LOCAL_TOKEN',
};

/**
 * The environment with every old setting name read as its new one. Both names with different values is an
 * error rather than a silent choice: one of them is stale.
 */
export function withRenamedSettings(env: Env): { env: Env; deprecated: Config['deprecatedSettings'] } {
  const out: Env = { ...env };
  const deprecated: Config['deprecatedSettings'] = [];
  for (const [name, old] of Object.entries(RENAMED_SETTINGS)) {
    const oldValue = env[old]?.trim();
    if (!oldValue) continue;
    deprecated.push({ name: old, use: name });
    const newValue = env[name]?.trim();
    if (newValue && newValue !== oldValue) {
      throw new InputError(
        'ConfigInvalid',
        `${old} and ${name} are both set, to different values: expected only ${name} (${old} is its old name).`,
      );
    }
    out[name] = oldValue;
  }
  return { env: out, deprecated };
}

function required(env: Env, name: string, expected: string): string {
  const v = env[name]?.trim();
  const old = RENAMED_SETTINGS[name];
  if (!v)
    throw new InputError(
      'ConfigMissing',
      `${name}${old ? ` (formerly ${old})` : ''} is not set: expected ${expected}.`,
    );
  return v;
}

function int(env: Env, name: string, dflt: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new InputError('ConfigInvalid', `${name}=${raw}: expected a whole number ≥ ${min}.`);
  }
  return n;
}

/** "rg/workspace,rg2/workspace2" → refs. */
export function parseWorkspaces(raw: string): WorkspaceRef[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([-\w._()]+)\/([-\w]{1,64})$/.exec(s);
      if (!m)
        throw new InputError(
          'ConfigInvalid',
          `COMPUTE_WORKSPACES entry "${s}": expected resourceGroup/workspace (or resourceGroup/account).`,
        );
      return { resourceGroup: m[1], workspace: m[2] };
    });
}

/** "u1, u2" → ["u1", "u2"]: chat user ids as the channel sends them in `from.id`. */
export function parseUserIds(raw: string | undefined): string[] {
  return [
    ...new Set(
      (raw ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** BATCHAI_STORAGE_ACCOUNT / BATCHAI_STORAGE_KEY (what az batchai read from AZURE_BATCHAI_STORAGE_ACCOUNT / _KEY). */
export function parseStorageAccount(env: Env): StorageAccountSetting | undefined {
  const name = env.BATCHAI_STORAGE_ACCOUNT?.trim();
  const key = env.BATCHAI_STORAGE_KEY?.trim();
  if (!name) {
    if (key)
      throw new InputError(
        'ConfigInvalid',
        'BATCHAI_STORAGE_KEY is set but BATCHAI_STORAGE_ACCOUNT is not: ' +
          'expected the name of the account the key belongs to.',
      );
    return undefined;
  }
  if (!/^[a-z0-9]{3,24}$/.test(name)) {
    throw new InputError(
      'ConfigInvalid',
      `BATCHAI_STORAGE_ACCOUNT=${name}: expected a storage account name (3-24 lower-case letters and digits).`,
    );
  }
  return key ? { name, key } : { name };
}

function money(env: Env, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0)
    throw new InputError('ConfigInvalid', `${name}=${raw}: expected an amount in USD ≥ 0, e.g. 25.`);
  return n;
}

function defaultRole(env: Env, appId: string): Role {
  const raw = env.DEFAULT_ROLE?.trim().toLowerCase();
  if (!raw) return appId ? 'viewer' : 'operator';
  if (!isRole(raw)) throw new InputError('ConfigInvalid', `DEFAULT_ROLE=${raw}: expected one of ${ROLES.join(', ')}.`);
  return raw;
}

/** `{ key: value }`, or nothing when value is undefined (the config has no undefined fields). */
const optional = <K extends string, V>(key: K, value: V | undefined) =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

const BATCH_HOST = /^([a-z0-9]{3,24})\.[a-z0-9-]+\.batch\.azure\.com$/i;

/** "https://acct.region.batch.azure.com, local=http://127.0.0.1:8482" → accounts; `*` → discover. */
export function parseBatchAccounts(raw: string): AzureBatchAccountSetting[] | 'discover' {
  if (raw.trim() === '*') return 'discover';
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0)
    throw new InputError(
      'ConfigInvalid',
      'AZURE_BATCH_ACCOUNTS is empty: expected account endpoints ' +
        '(https://<account>.<region>.batch.azure.com, comma-separated) or *.',
    );
  return entries.map((s) => {
    // A named entry is for a host that is not Azure's (the local engine): its account is named like a workspace.
    const named = /^([a-z0-9][-a-z0-9]{0,63})=(.+)$/i.exec(s);
    let url: URL;
    try {
      url = new URL(named ? named[2] : s);
    } catch {
      throw new InputError(
        'ConfigInvalid',
        `AZURE_BATCH_ACCOUNTS entry "${s}": expected an endpoint such as https://<account>.<region>.batch.azure.com ` +
          '(or <account>=<url> for another host).',
      );
    }
    const host = BATCH_HOST.exec(url.hostname);
    const account = named?.[1] ?? host?.[1];
    if (!account) {
      throw new InputError(
        'ConfigInvalid',
        `AZURE_BATCH_ACCOUNTS entry "${s}": ${url.hostname} is not <account>.<region>.batch.azure.com; ` +
          `name the account as <account>=${url.origin}.`,
      );
    }
    return { account: account.toLowerCase(), endpoint: url.origin };
  });
}

function computeSettings(env: Env, workspaces: WorkspaceRef[]): ComputeSettings {
  const backend = env.COMPUTE_BACKEND?.trim() || 'batchai';
  if (backend === 'batchai') return { backend };
  if (backend === 'azureml') {
    const caFile = env.COMPUTE_CA_FILE?.trim();
    return caFile ? { backend, caFile } : { backend };
  }
  if (backend !== 'azurebatch')
    throw new InputError('ConfigInvalid', `COMPUTE_BACKEND=${backend}: expected batchai, azurebatch or azureml.`);
  const accounts = parseBatchAccounts(
    required(
      env,
      'AZURE_BATCH_ACCOUNTS',
      'Batch account endpoints (https://<account>.<region>.batch.azure.com, comma-separated) or *',
    ),
  );
  if (accounts !== 'discover') {
    const missing = workspaces.filter((w) => !accounts.some((a) => a.account === w.workspace.toLowerCase()));
    if (missing.length > 0) {
      throw new InputError(
        'ConfigInvalid',
        `COMPUTE_WORKSPACES names ${missing.map((w) => w.workspace).join(', ')}, ` +
          'which AZURE_BATCH_ACCOUNTS does not list: ' +
          'with COMPUTE_BACKEND=azurebatch each workspace is a Batch account ' +
          `(${accounts.map((a) => a.account).join(', ')}).`,
      );
    }
  }
  const containerUrl = env.AZURE_BATCH_OUTPUT_CONTAINER_URL?.trim();
  const identity = env.AZURE_BATCH_OUTPUT_IDENTITY?.trim();
  if (!!containerUrl !== !!identity) {
    throw new InputError(
      'ConfigInvalid',
      'AZURE_BATCH_OUTPUT_CONTAINER_URL and AZURE_BATCH_OUTPUT_IDENTITY go together: ' +
        "expected the output container's URL and the resource id " +
        "of the pools' user-assigned identity that uploads to it.",
    );
  }
  return {
    backend,
    accounts,
    accountKey: env.AZURE_BATCH_ACCOUNT_KEY?.trim() || undefined,
    ...(containerUrl && identity ? { output: { containerUrl: containerUrl.replace(/\/+$/, ''), identity } } : {}),
  };
}

const STORAGE_PREFIX = 'AzureWebJobsStorage__';

/**
 * AzureWebJobsStorage as the Functions host reads it: a connection string, or (when that is unset) the
 * identity-based settings `__accountName` or `__tableServiceUri` + `__queueServiceUri`, with `__clientId` naming a
 * user-assigned identity. The host itself also needs `__blobServiceUri` (or the account name); our code keeps chart
 * images there (bot/chart-links.ts), and does without them when neither is set.
 */
/** SECRETS_KEY: 32 bytes in base64, which seal secret values at rest (shared/storage/sealed.ts). */
export function secretsKey(env: Env): Buffer | undefined {
  const raw = env.SECRETS_KEY?.trim();
  if (!raw) return undefined;
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(raw))
    throw new InputError(
      'ConfigMissing',
      `SECRETS_KEY: expected 32 bytes in base64 (openssl rand -base64 32), got ${key.length} bytes.`,
    );
  return key;
}

export function storageSettings(env: Env = process.env): StorageSettings {
  const key = secretsKey(env);
  return key ? { ...storageTarget(env), secretsKey: key } : storageTarget(env);
}

function storageTarget(env: Env): StorageSettings {
  const connectionString = env.AzureWebJobsStorage?.trim();
  if (connectionString) return { connectionString };
  const setting = (name: string) => env[STORAGE_PREFIX + name]?.trim() || undefined;
  const account = setting('accountName');
  const uri = (service: 'table' | 'queue') => {
    const explicit = setting(`${service}ServiceUri`);
    if (explicit) return explicit.replace(/\/+$/, '');
    if (account) return `https://${account}.${service}.core.windows.net`;
    throw new InputError(
      'ConfigMissing',
      'AzureWebJobsStorage is not set: ' +
        'expected a storage connection string (UseDevelopmentStorage=true for Azurite), ' +
        `or ${STORAGE_PREFIX}accountName ` +
        `(or ${STORAGE_PREFIX}tableServiceUri and ${STORAGE_PREFIX}queueServiceUri) for identity-based access.`,
    );
  };
  const blob = setting('blobServiceUri') ?? (account ? `https://${account}.blob.core.windows.net` : undefined);
  const identity = {
    tableServiceUri: uri('table'),
    queueServiceUri: uri('queue'),
    ...(blob ? { blobServiceUri: blob.replace(/\/+$/, '') } : {}),
    clientId: setting('clientId'),
  };
  return { connectionString: '', identity };
}

/** Both Slack secrets, or neither (the Slack app is off). */
export function slackConfig(env: Env): Config['slack'] {
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() ?? '';
  const botToken = env.SLACK_BOT_TOKEN?.trim() ?? '';
  if (!signingSecret && !botToken) return undefined;
  if (!signingSecret || !botToken) {
    throw new InputError(
      'ConfigInvalid',
      'SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN: expected both (the Slack app on) or neither (off).',
    );
  }
  return {
    signingSecret,
    botToken,
    apiUrl: env.SLACK_API_URL?.trim() || 'https://slack.com/api/',
    chartEverySeconds: int(env, 'SLACK_CHART_SECONDS', 300, 10),
    fileCallsPerMinute: int(env, 'SLACK_FILE_CALLS_PER_MINUTE', 20, 3),
  };
}

function botSettings(env: Env): Config['bot'] {
  const appType = env.MicrosoftAppType?.trim() || 'MultiTenant';
  if (!['MultiTenant', 'SingleTenant', 'UserAssignedMSI'].includes(appType)) {
    throw new InputError(
      'ConfigInvalid',
      `MicrosoftAppType=${appType}: expected MultiTenant, SingleTenant or UserAssignedMSI.`,
    );
  }
  const bot = {
    appId: env.MicrosoftAppId?.trim() ?? '',
    appPassword: env.MicrosoftAppPassword?.trim() ?? '',
    appTenantId: env.MicrosoftAppTenantId?.trim() ?? '',
    appType: appType as Config['bot']['appType'],
  };
  // The bot signs in as its user-assigned managed identity: the identity's client id, its tenant, and no password.
  if (appType === 'UserAssignedMSI' && (!bot.appId || !bot.appTenantId || bot.appPassword)) {
    throw new InputError(
      'ConfigInvalid',
      "MicrosoftAppType=UserAssignedMSI: expected MicrosoftAppId (the identity's client id) " +
        'and MicrosoftAppTenantId set, and no MicrosoftAppPassword.',
    );
  }
  return bot;
}

const KEY_VAULT_REFERENCE = /^\s*@Microsoft\.KeyVault\(/i;

/**
 * App Service puts a Key Vault reference's secret in place of `@Microsoft.KeyVault(SecretUri=…)` when the app's
 * identity can read it; when it cannot (no role yet, no secret version, a vault it cannot reach) the setting keeps
 * the reference text, which would otherwise be used as the secret itself. Refused, naming every such setting.
 */
export function refuseUnresolvedReferences(env: Env): void {
  const unresolved = Object.keys(env)
    .filter((name) => KEY_VAULT_REFERENCE.test(env[name] ?? ''))
    .sort();
  if (unresolved.length === 0) return;
  throw new InputError(
    'ConfigInvalid',
    `${unresolved.join(', ')} still read${unresolved.length === 1 ? 's' : ''} @Microsoft.KeyVault(…): ` +
      'expected the secret itself. The Key Vault reference did not resolve: set the secret in the vault ' +
      "(az keyvault secret set), check the app identity's Key Vault Secrets User role, then restart the app.",
  );
}

export function loadConfig(given: Env = process.env): Config {
  refuseUnresolvedReferences(given);
  const { env, deprecated } = withRenamedSettings(given);
  const workspaces = parseWorkspaces(required(env, 'COMPUTE_WORKSPACES', 'resourceGroup/workspace[,...]'));
  const slack = slackConfig(env);
  return {
    compute: {
      ...computeSettings(env, workspaces),
      endpoint: (env.COMPUTE_ARM_ENDPOINT?.trim() || 'https://management.azure.com').replace(/\/+$/, ''),
      subscriptionId: required(env, 'COMPUTE_SUBSCRIPTION_ID', 'the Azure subscription id'),
      workspaces,
      defaultExperiment: env.COMPUTE_DEFAULT_EXPERIMENT?.trim() || 'default',
      defaultCluster: env.COMPUTE_DEFAULT_CLUSTER?.trim() || '',
      localToken: env.COMPUTE_LOCAL_TOKEN?.trim() || undefined,
      storageAccount: parseStorageAccount(env),
    },
    deprecatedSettings: deprecated,
    storage: storageSettings(env),
    bot: botSettings(env),
    schedules: {
      poll: env.POLL_SCHEDULE?.trim() || '*/30 * * * * *',
      idle: env.IDLE_SCHEDULE?.trim() || '0 * * * * *',
      expireApprovals: env.EXPIRE_APPROVALS_SCHEDULE?.trim() || '0 * * * * *',
      progress: env.PROGRESS_SCHEDULE?.trim() || '0 * * * * *',
      housekeeping: env.HOUSEKEEPING_SCHEDULE?.trim() || '0 */10 * * * *',
    },
    retention: parseRetention(env.RETENTION),
    policy: {
      resizeApprovalThreshold: int(env, 'RESIZE_APPROVAL_THRESHOLD', 8, 0),
      idleMinutes: int(env, 'IDLE_MINUTES', 30, 1),
      approvers: parseUserIds(env.APPROVERS),
      approvalTtlMinutes: int(env, 'APPROVAL_TTL_MINUTES', 60, 1),
      idleGraceMinutes: int(env, 'IDLE_GRACE_MINUTES', 10, 1),
      admins: parseUserIds(env.ADMINS),
      defaultRole: defaultRole(env, env.MicrosoftAppId?.trim() ?? ''),
      ...optional('approvalBudgetPerHour', money(env, 'APPROVAL_BUDGET_PER_HOUR')),
      ...optional('pricesFile', env.PRICES_FILE?.trim() || undefined),
    },
    logs: {
      tailBytes: int(env, 'LOG_TAIL_BYTES', 4096, 256),
      tailLines: int(env, 'LOG_TAIL_LINES', 20, 1),
      linkExpiryMinutes: int(env, 'LINK_EXPIRY_MINUTES', 60, 5),
    },
    ...(slack ? { slack } : {}),
    progress: {
      updateSeconds: int(env, 'PROGRESS_UPDATE_SECONDS', 60, 1),
      maxJobsPerTick: int(env, 'PROGRESS_MAX_JOBS_PER_TICK', 200, 1),
      stallMinutes: int(env, 'STALL_MINUTES', 30, 1),
    },
    followUps: {
      delaySeconds: int(env, 'FOLLOWUP_DELAY_SECONDS', 3, 1),
      maxMinutes: int(env, 'FOLLOWUP_MAX_MINUTES', 30, 1),
    },
  };
}
