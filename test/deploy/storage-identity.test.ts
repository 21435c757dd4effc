// Tables by identity, end to end: the settings the Functions host reads (AzureWebJobsStorage__*),
// DefaultAzureCredential getting a storage token from the managed-identity endpoint for the configured client id,
// and real Azurite serving HTTPS with OAuth (token claims checked): the chat stores the app builds, with no key.
// (Queues take the same credential in shared/storage/table.ts; their SDK offers no per-call policy through which
// a test could trust a local certificate, so they are not exercised here.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { TableClient } from '@azure/data-tables';
import { startAzurite } from '../../local/azurite';
import { storageSettings } from '../../shared/config';
import { createStores } from '../../shared/storage';
import { fakeJwt, useFakeIdentityEndpoint } from './support/fake-identity-endpoint';
import { useStarted } from '../support/use-started';

const CLIENT_ID = '0c2c4f6e-5a7b-4b8e-9d41-1f2e3d4c5b6a';
const identity = useFakeIdentityEndpoint();
let dir = '';
let trustLocalCert: PipelinePolicy;

const azurite = useStarted(
  'Azurite over HTTPS',
  () => {
    dir = mkdtempSync(join(tmpdir(), 'storage-identity-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    // The certificate is made here: the clients trust it (and only it), as a real client trusts Azure's.
    const agent = new Agent({ ca: readFileSync(cert) });
    trustLocalCert = {
      name: 'trust-local-certificate',
      sendRequest: (request, next) => next(Object.assign(request, { agent })),
    };
    return startAzurite({ oauth: { cert, key } });
  },
  (a) => a.stop(),
);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const tableServiceUri = () => `https://127.0.0.1:${azurite.current.ports.table}/devstoreaccount1`;

test('the chat stores create their tables, write and read, signed in as the user-assigned identity', async () => {
  const settings = storageSettings({
    AzureWebJobsStorage__tableServiceUri: tableServiceUri(),
    AzureWebJobsStorage__queueServiceUri: `https://127.0.0.1:${azurite.current.ports.queue}/devstoreaccount1`,
    AzureWebJobsStorage__clientId: CLIENT_ID,
    AzureWebJobsStorage__credential: 'managedidentity',
  });
  const stores = await createStores(settings, { tablePolicies: [trustLocalCert] });
  await stores.prefs.set('conv-1', { experiment: 'mnist' });
  expect(await stores.prefs.get('conv-1')).toEqual({ experiment: 'mnist' });

  expect(identity.requests.length).toBeGreaterThan(0);
  expect(new Set(identity.requests.map((r) => JSON.stringify(r)))).toEqual(
    new Set([JSON.stringify({ resource: 'https://storage.azure.com', clientId: CLIENT_ID })]),
  );
});

test('Azurite does check the token: an expired one is refused', async () => {
  const expired = {
    getToken: async () => ({
      token: fakeJwt('https://storage.azure.com', { expired: true }),
      expiresOnTimestamp: Date.now() + 60_000,
    }),
  };
  const table = new TableClient(tableServiceUri(), 'prefs', expired, {
    additionalPolicies: [{ policy: trustLocalCert, position: 'perCall' }],
  });
  await expect(table.getEntity('conv-1', 'prefs')).rejects.toMatchObject({ statusCode: 403 });
});
