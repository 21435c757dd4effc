// What `az batchai job create -f job.json --storage-account-name a --storage-account-key k` filled in before it
// sent a job file: `<AZURE_BATCHAI_STORAGE_ACCOUNT>` in mount URLs and account names, an `accountName` left out
// of an Azure file share (taken from its URL's host), and credentials left out or given as
// `<AZURE_BATCHAI_STORAGE_KEY>`. One pure function says what it fills and what it cannot: templates:load shows
// it per file (and refuses what cannot be filled), submit applies it, so a key never lives in a template.
import type { MountVolumes } from '../compute/job-file';

export const ACCOUNT_PLACEHOLDER = '<AZURE_BATCHAI_STORAGE_ACCOUNT>';
export const KEY_PLACEHOLDER = '<AZURE_BATCHAI_STORAGE_KEY>';

export interface JobFileFill<B> {
  /** The job body with everything filled that could be (a copy; the input is not changed). */
  body: B;
  /** One line per filled field: `path: what` (never the key itself). */
  filled: string[];
  /** One line per field that cannot be filled, saying which setting would fill it. */
  missing: string[];
}

type Mount = {
  accountName?: string;
  azureFileUrl?: string;
  containerName?: string;
  credentials?: { accountKey?: string; accountKeySecretReference?: unknown };
};

const NO_ACCOUNT =
  'no storage account is configured: ' +
  'expected BATCHAI_STORAGE_ACCOUNT (what az batchai took as --storage-account-name)';

/** `https://acct.file.core.windows.net/share` → `acct`; the text before the first dot of the host. */
function urlAccount(url: string): string | undefined {
  return /^https?:\/\/([^./]+)\./i.exec(url)?.[1];
}

/** The account BATCHAI_STORAGE_ACCOUNT / _KEY name: what `az batchai job create` filled job files with. */
export interface StorageAccountSetting {
  name: string;
  /** Absent: job files must bring their own credentials. */
  key?: string;
}

function fillMount(
  m: Mount,
  at: string,
  account: StorageAccountSetting | undefined,
  out: { filled: string[]; missing: string[] },
): void {
  if (m.azureFileUrl?.includes(ACCOUNT_PLACEHOLDER)) {
    if (account) {
      m.azureFileUrl = m.azureFileUrl.split(ACCOUNT_PLACEHOLDER).join(account.name);
      out.filled.push(`${at}.azureFileUrl: storage account ${account.name} in place of ${ACCOUNT_PLACEHOLDER}`);
    } else out.missing.push(`${at}.azureFileUrl uses ${ACCOUNT_PLACEHOLDER}, but ${NO_ACCOUNT}`);
  }
  if (m.accountName === undefined || m.accountName === ACCOUNT_PLACEHOLDER) {
    const placeholder = m.accountName === ACCOUNT_PLACEHOLDER;
    const fromUrl = !placeholder && m.azureFileUrl !== undefined ? urlAccount(m.azureFileUrl) : undefined;
    if (fromUrl && !fromUrl.includes('<')) {
      m.accountName = fromUrl;
      out.filled.push(`${at}.accountName: ${fromUrl} (the host of azureFileUrl)`);
    } else if (account) {
      m.accountName = account.name;
      out.filled.push(`${at}.accountName: ${account.name}${placeholder ? ` in place of ${ACCOUNT_PLACEHOLDER}` : ''}`);
    } else {
      out.missing.push(
        `${at}.accountName ${placeholder ? `is ${ACCOUNT_PLACEHOLDER}` : 'is not given'}, but ${NO_ACCOUNT}`,
      );
    }
  }
  const c = m.credentials;
  const needsKey =
    !c || c.accountKey === KEY_PLACEHOLDER || (c.accountKey === undefined && c.accountKeySecretReference === undefined);
  if (!needsKey) return;
  const name = m.accountName && m.accountName !== ACCOUNT_PLACEHOLDER ? m.accountName : undefined;
  if (account?.key && name?.toLowerCase() === account.name.toLowerCase()) {
    m.credentials = { accountKey: account.key };
    out.filled.push(`${at}.credentials: the key of ${account.name} (BATCHAI_STORAGE_KEY)`);
  } else {
    const why = !account
      ? NO_ACCOUNT
      : !account.key
        ? `BATCHAI_STORAGE_KEY is not set (the key of ${account.name})`
        : `the configured key is for ${account.name}, not ${name ?? 'this account'}`;
    out.missing.push(
      `${at}.credentials ${c?.accountKey === KEY_PLACEHOLDER ? `is ${KEY_PLACEHOLDER}` : 'are not given'}, ` +
        `but ${why}; or give credentials.accountKeySecretReference in the file`,
    );
  }
}

/**
 * Fills the storage account and its key into a job's mount volumes as the az CLI did. Pure: works on a copy,
 * and works on a template's unrendered job too (for templates:load's report) as on a rendered body.
 */
export function fillJobFile<B extends { properties?: { mountVolumes?: MountVolumes } }>(
  body: B,
  account: StorageAccountSetting | undefined,
): JobFileFill<B> {
  const copy = structuredClone(body);
  const out = { filled: [] as string[], missing: [] as string[] };
  const mv = copy.properties?.mountVolumes as { azureFileShares?: Mount[]; azureBlobFileSystems?: Mount[] } | undefined;
  mv?.azureFileShares?.forEach((m, i) => fillMount(m, `properties.mountVolumes.azureFileShares[${i}]`, account, out));
  mv?.azureBlobFileSystems?.forEach((m, i) =>
    fillMount(m, `properties.mountVolumes.azureBlobFileSystems[${i}]`, account, out),
  );
  return { body: copy, ...out };
}
