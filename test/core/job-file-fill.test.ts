// What submit fills into a job file as `az batchai job create --storage-account-name/-key` did, and what it
// cannot fill without a setting.
import { ACCOUNT_PLACEHOLDER, fillJobFile, KEY_PLACEHOLDER } from '../../shared/templates/job-file-fill';

const ACCOUNT = { name: 'teamstore', key: 'a2V5LW9mLXRlYW1zdG9yZQ==' };
const share = (extra: Record<string, unknown> = {}) => ({
  azureFileUrl: `https://${ACCOUNT_PLACEHOLDER}.file.core.windows.net/logs`,
  relativeMountPath: 'logs',
  ...extra,
});
const job = (mountVolumes: Record<string, unknown>) => ({
  properties: { stdOutErrPathPrefix: '$AZ_BATCHAI_JOB_MOUNT_ROOT/logs', mountVolumes },
});

test('a recipe share (placeholder URL, no accountName or credentials) gets account, name, key; input unchanged', () => {
  const input = job({ azureFileShares: [share()] });
  const before = structuredClone(input);
  const r = fillJobFile(input, ACCOUNT);
  expect(r.missing).toEqual([]);
  expect(r.body.properties.mountVolumes.azureFileShares).toEqual([
    {
      azureFileUrl: 'https://teamstore.file.core.windows.net/logs',
      relativeMountPath: 'logs',
      accountName: 'teamstore',
      credentials: { accountKey: ACCOUNT.key },
    },
  ]);
  expect(r.filled).toEqual([
    'properties.mountVolumes.azureFileShares[0].azureFileUrl:' +
      ` storage account teamstore in place of ${ACCOUNT_PLACEHOLDER}`,
    'properties.mountVolumes.azureFileShares[0].accountName: teamstore (the host of azureFileUrl)',
    'properties.mountVolumes.azureFileShares[0].credentials: the key of teamstore (BATCHAI_STORAGE_KEY)',
  ]);
  expect(r.filled.join('\n')).not.toContain(ACCOUNT.key);
  expect(input).toEqual(before);
});

test("placeholders in accountName and accountKey (the CLI guide's form) are replaced, blob file systems too", () => {
  const placeheld = { accountName: ACCOUNT_PLACEHOLDER, credentials: { accountKey: KEY_PLACEHOLDER } };
  const r = fillJobFile(
    job({
      azureFileShares: [share(placeheld)],
      azureBlobFileSystems: [
        { containerName: 'data', relativeMountPath: 'bfs', ...placeheld },
        { containerName: 'more', relativeMountPath: 'bfs2' },
      ],
    }),
    ACCOUNT,
  );
  expect(r.missing).toEqual([]);
  const mv = r.body.properties.mountVolumes as { azureFileShares: unknown[]; azureBlobFileSystems: unknown[] };
  expect(mv.azureFileShares[0]).toMatchObject({ accountName: 'teamstore', credentials: { accountKey: ACCOUNT.key } });
  expect(mv.azureBlobFileSystems).toEqual([
    {
      containerName: 'data',
      relativeMountPath: 'bfs',
      accountName: 'teamstore',
      credentials: { accountKey: ACCOUNT.key },
    },
    {
      containerName: 'more',
      relativeMountPath: 'bfs2',
      accountName: 'teamstore',
      credentials: { accountKey: ACCOUNT.key },
    },
  ]);
  expect(r.filled).toContain(
    `properties.mountVolumes.azureBlobFileSystems[0].accountName: teamstore in place of ${ACCOUNT_PLACEHOLDER}`,
  );
});

test("what a file gives itself is kept: its own account and key, a Key Vault reference, another account's URL", () => {
  const own = {
    accountName: 'other',
    azureFileUrl: 'https://other.file.core.windows.net/x',
    relativeMountPath: 'x',
    credentials: { accountKey: 'b3duLWtleQ==' },
  };
  const vault = {
    ...own,
    credentials: { accountKeySecretReference: { sourceVault: { id: '/v' }, secretUrl: 'https://v/s' } },
  };
  const r = fillJobFile(job({ azureFileShares: [own, vault] }), ACCOUNT);
  expect(r).toEqual({ body: job({ azureFileShares: [own, vault] }), filled: [], missing: [] });
});

test("no configured account: a placeholder is missing, naming the setting; another account's key is not used", () => {
  const none = fillJobFile(job({ azureFileShares: [share()] }), undefined);
  expect(none.missing).toEqual([
    `properties.mountVolumes.azureFileShares[0].azureFileUrl uses ${ACCOUNT_PLACEHOLDER},` +
      ' but no storage account is configured: expected BATCHAI_STORAGE_ACCOUNT' +
      ' (what az batchai took as --storage-account-name)',
    expect.stringMatching(/azureFileShares\[0\]\.accountName is not given, but no storage account is configured/),
    expect.stringMatching(
      new RegExp(
        /azureFileShares\[0\]\.credentials are not given, but no storage account is configured/.source +
          /.*accountKeySecretReference/.source,
      ),
    ),
  ]);
  const otherAccount = fillJobFile(
    job({ azureFileShares: [{ azureFileUrl: 'https://other.file.core.windows.net/x', relativeMountPath: 'x' }] }),
    ACCOUNT,
  );
  expect(otherAccount.filled).toEqual([
    'properties.mountVolumes.azureFileShares[0].accountName: other (the host of azureFileUrl)',
  ]);
  expect(otherAccount.missing).toEqual([
    expect.stringContaining('credentials are not given, but the configured key is for teamstore, not other'),
  ]);
  const noKey = fillJobFile(job({ azureFileShares: [share()] }), { name: 'teamstore' });
  expect(noKey.missing).toEqual([expect.stringContaining('BATCHAI_STORAGE_KEY is not set (the key of teamstore)')]);
});

test('a job without mount volumes is left as it is', () => {
  const body: { properties: { stdOutErrPathPrefix: string; mountVolumes?: undefined } } = {
    properties: { stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs' },
  };
  expect(fillJobFile(body, undefined)).toEqual({ body, filled: [], missing: [] });
});
