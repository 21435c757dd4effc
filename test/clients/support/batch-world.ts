// What Microsoft's Azure Batch clients are pointed at in these tests: the engine's Batch facade (account
// `local`, its well-known key), Azurite's Blob service with a container of input files (a SAS URL for the
// container and one for a single blob), and a plain http server on 127.0.0.1 serving one file. All started in
// beforeAll and stopped in afterAll; everything binds port 0 (Azurite picks free ports).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobSASPermissions, BlobServiceClient, ContainerSASPermissions } from '@azure/storage-blob';
import { startEngine, type Engine } from '../../../local/engine';
import { useAzurite } from '../../support/azurite';
import { FAST, removeDir, tempDir } from '../../engine/helpers';

export interface BatchWorld {
  url: string;
  account: string;
  key: string;
  /** A container (SAS: read, list) holding inputs/a.txt and inputs/b.txt and other/c.txt. */
  containerSasUrl: string;
  /** inputs/a.txt with a SAS of its own. */
  blobSasUrl: string;
  /** A plain http URL on 127.0.0.1 answering `served over http\n`. */
  httpUrl: string;
  engine: Engine;
}

export const INPUTS: Record<string, string> = {
  'inputs/a.txt': 'alpha\n',
  'inputs/b.txt': 'bravo\n',
  'other/c.txt': 'charlie\n',
};

export function useBatchWorld(): BatchWorld {
  const azurite = useAzurite();
  const world = {} as BatchWorld;
  let server: Server | undefined;
  beforeAll(async () => {
    world.engine = await startEngine({
      dataDir: tempDir(),
      timing: FAST,
      batch: { workspace: { subscriptionId: 'sub', resourceGroup: 'local', workspace: 'local' } },
    });
    const b = world.engine.batch!;
    Object.assign(world, { url: b.url, account: b.account, key: b.accountKey });
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('inputs');
    await container.create();
    for (const [name, text] of Object.entries(INPUTS))
      await container.getBlockBlobClient(name).upload(text, text.length);
    const expiresOn = new Date(Date.now() + 3_600_000);
    world.containerSasUrl = await container.generateSasUrl({
      permissions: ContainerSASPermissions.parse('rl'),
      expiresOn,
    });
    world.blobSasUrl = await container
      .getBlobClient('inputs/a.txt')
      .generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn });
    server = createServer((req, res) => {
      if (req.url === '/served.txt') res.end('served over http\n');
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    world.httpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/served.txt`;
  }, 60_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (world.engine) {
      await world.engine.stop();
      removeDir(world.engine.dataDir);
    }
  });
  return world;
}
