// Azurite as the tests and `npm start` run it: each service binds its own port (0) and reports it, a failed
// start leaves nothing running, and the child does not outlive a parent killed with SIGKILL.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { TableClient } from '@azure/data-tables';
import { exitWithParentArgs, startAzurite } from '../../local/azurite';
import { waitFor } from '../support/wait-for';

/** Pids of this process's children running Azurite (Linux /proc). */
function azuriteChildren(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const ppid = Number(
          readFileSync(`/proc/${pid}/stat`, 'utf8')
            .replace(/^.*\) /, '')
            .split(' ')[1],
        );
        return ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('azurite.js');
      } catch {
        return false; // it ended while we looked
      }
    })
    .map(Number);
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('startAzurite', () => {
  it('binds free ports itself, reports them, and serves tables until stopped', async () => {
    const azurite = await startAzurite();
    try {
      const { blob, queue, table } = azurite.ports;
      expect(new Set([blob, queue, table]).size).toBe(3);
      for (const port of [blob, queue, table]) expect(port).toBeGreaterThan(0);
      const client = TableClient.fromConnectionString(azurite.connectionString, 'ports', {
        allowInsecureConnection: true,
      });
      await client.createTable();
      await client.createEntity({ partitionKey: 'p', rowKey: 'r', n: 1 });
      expect((await client.getEntity<{ n: number }>('p', 'r')).n).toBe(1);
    } finally {
      await azurite.stop();
    }
    for (const port of Object.values(azurite.ports)) expect(await accepts(port)).toBe(false);
    expect(azuriteChildren()).toEqual([]);
  });

  it('fails with the reason when a fixed port is taken, leaving nothing running', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      // Blob and Queue start first and listen; Table then fails: a half-started Azurite.
      await expect(startAzurite({ ports: { blob: 0, queue: 0, table: port } })).rejects.toThrow(
        new RegExp(`before it listened on all its ports: .*EADDRINUSE.*127\\.0\\.0\\.1:${port}`, 's'),
      );
      expect(azuriteChildren()).toEqual([]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('exitWithParentArgs', () => {
  let childPid: number | undefined;
  afterEach(() => {
    // Only if the test failed and left the child behind.
    try {
      if (childPid !== undefined) process.kill(childPid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  });

  it('stops a child once its parent is killed with SIGKILL, and not before', async () => {
    // Process tree: this test → parent (plain node) → child (node with the preload). The parent starts the child
    // with the arguments sent on its stdin. The child writes to the parent's stdout, a pipe to this test that
    // closes only when both processes are gone.
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `
      process.stdin.once('data', (d) => {
        require('node:child_process').spawn(process.execPath, JSON.parse(d), {
          stdio: ['ignore', 'inherit', 'inherit'],
        });
      });
      setInterval(() => {}, 1000);`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let out = '';
    let closed = false;
    parent.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    parent.stdout.once('close', () => {
      closed = true;
    });
    parent.stdin.write(
      JSON.stringify([
        ...exitWithParentArgs(parent.pid),
        '-e',
        'console.log(process.pid); setInterval(() => {}, 1000)',
      ]),
    );
    childPid = Number(
      (
        await waitFor(
          'the child to print its pid',
          () => out,
          (o) => o.includes('\n'),
        )
      ).trim(),
    );
    expect(childPid).toBeGreaterThan(0);

    // Longer than the watchdog's period: a child with a live parent keeps running. (A wait that proves an
    // absence has to be a plain wait.)
    await new Promise((r) => setTimeout(r, 1500));
    expect(closed).toBe(false);

    parent.kill('SIGKILL');
    await waitFor('the orphaned child to stop', () => closed);
    childPid = undefined;
  });
});
