// The client against a scripted HTTP server on 127.0.0.1: long-running operations, paging, retries, errors,
// lenient parsing, name validation, and where the token may go.
import { collect } from '../../shared/core/collect';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createBatchAiClient, type BatchAiClientOptions } from '../../shared/batchai/client';
import { staticTokenCredential } from '../../shared/http/credential';
import { ComputeError, InputError, isNotFound, ProtocolError } from '../../shared/errors';
import { startScriptedServer, type ScriptedServer, type Script } from './support/scripted-server';

const SUB = 'sub-1';
const TOKEN = 't0ken-secret';
const WS = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/ws`;
const REF = { resourceGroup: 'rg', workspace: 'ws', experiment: 'exp', job: 'job1' };
const JOB_PARAMS = {
  properties: { cluster: { id: 'c' }, nodeCount: 1, stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs' },
};
const jobBody = (name: string, state = 'queued') => ({
  id: `${WS}/experiments/exp/jobs/${name}`,
  name,
  properties: { executionState: state },
});
const armError = (code: string, message: string, target?: string) => ({ error: { code, message, target } });

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer(() => ({ status: 500 }));
});
afterAll(() => server.close());

function run(script: Script, opts: Partial<BatchAiClientOptions> = {}) {
  server.log.length = 0;
  server.script = script;
  return createBatchAiClient({
    endpoint: server.url,
    subscriptionId: SUB,
    credential: staticTokenCredential(TOKEN),
    pollIntervalMs: 20,
    retry: { baseDelayMs: 10, maxDelayMs: 5000 },
    ...opts,
  });
}
const trail = () => server.log.map((r) => `${r.method} ${r.path.replace(WS, '~')}`);

describe('long-running operations', () => {
  test('Azure-AsyncOperation: waits Retry-After, polls to Succeeded, then GETs the resource', async () => {
    let polls = 0;
    const client = run((req) => {
      if (req.method === 'PUT')
        return {
          status: 202,
          headers: {
            'Azure-AsyncOperation': `${server.url}/ops/1?api-version=2018-05-01`,
            Location: `${server.url}/loc/1`,
            'Retry-After': 1,
          },
        };
      if (req.path === '/ops/1') return { status: 200, body: { status: ++polls < 2 ? 'InProgress' : 'Succeeded' } };
      return { status: 200, body: jobBody('job1') };
    });
    const job = await client.createJob(REF, JOB_PARAMS as never);
    expect(job.properties?.executionState).toBe('queued');
    expect(trail()).toEqual([
      'PUT ~/experiments/exp/jobs/job1',
      'GET /ops/1',
      'GET /ops/1',
      'GET ~/experiments/exp/jobs/job1',
    ]);
    expect(JSON.parse(server.log[0].body)).toEqual(JOB_PARAMS);
    // Retry-After: 1 on the 202 was honoured (pollIntervalMs is 20 ms); the second poll was not held back by it.
    expect(server.log[1].at - server.log[0].at).toBeGreaterThanOrEqual(950);
  });

  test('a Failed operation throws ComputeError with the operation error', async () => {
    const client = run((req) =>
      req.method === 'PUT'
        ? { status: 202, headers: { 'Azure-AsyncOperation': `${server.url}/ops/2` } }
        : {
            status: 200,
            body: { Status: 'Failed', error: { code: 'ClusterNotFound', message: 'Cluster gpu does not exist.' } },
          },
    );
    const err = await client.createJob(REF, JOB_PARAMS as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ComputeError);
    expect(err).toMatchObject({ code: 'ClusterNotFound', message: 'Cluster gpu does not exist.' });
    expect(trail()).toEqual(['PUT ~/experiments/exp/jobs/job1', 'GET /ops/2']);
  });

  test('a Failed operation whose message names a SAS URL has its signature redacted', async () => {
    const client = run((req) =>
      req.method === 'PUT'
        ? { status: 202, headers: { 'Azure-AsyncOperation': `${server.url}/ops/4` } }
        : {
            status: 200,
            body: {
              status: 'Failed',
              error: {
                code: 'MountFailed',
                message: 'Cannot mount https://a.file.core.windows.net/s?sv=1&sig=SECRET-SIG (access denied).',
              },
            },
          },
    );
    const err = await client.createJob(REF, JOB_PARAMS as never).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'MountFailed',
      message: 'Cannot mount https://a.file.core.windows.net/s?sv=1&sig=*** (access denied).',
    });
  });

  test('Location polling: 202 while running, done on 204', async () => {
    let polls = 0;
    const client = run((req) =>
      req.method === 'DELETE'
        ? { status: 202, headers: { Location: `${server.url}/loc/9` } }
        : { status: ++polls < 2 ? 202 : 204 },
    );
    await expect(
      client.deleteCluster({ resourceGroup: 'rg', workspace: 'ws', cluster: 'gpu' }),
    ).resolves.toBeUndefined();
    expect(trail()).toEqual(['DELETE ~/clusters/gpu', 'GET /loc/9', 'GET /loc/9']);
  });

  test('wait: false returns right after acceptance (PUT: the GET of the resource)', async () => {
    const client = run((req) =>
      req.method === 'PUT'
        ? { status: 202, headers: { 'Azure-AsyncOperation': `${server.url}/ops/3` } }
        : { status: 200, body: jobBody('job1', 'queued') },
    );
    const job = await client.createJob(REF, JOB_PARAMS as never, { wait: false });
    expect(job.name).toBe('job1');
    expect(trail()).toEqual(['PUT ~/experiments/exp/jobs/job1', 'GET ~/experiments/exp/jobs/job1']);
    await client.terminateJob(REF, { wait: false });
    expect(trail().slice(2)).toEqual(['POST ~/experiments/exp/jobs/job1/terminate']);
  });
});

describe('paging', () => {
  test('follows nextLink across 3 pages with maxresults', async () => {
    const client = run((req) => {
      const page = Number(req.query.get('skiptoken') ?? 1);
      const next =
        page < 3
          ? `${server.url}${WS}/experiments/exp/jobs?api-version=2018-05-01&maxresults=1000&skiptoken=${page + 1}`
          : undefined;
      return { status: 200, body: { value: [jobBody(`j${page}a`), jobBody(`j${page}b`)], nextLink: next } };
    });
    const jobs = await collect(client.listJobs(REF));
    expect(jobs.map((j) => j.name)).toEqual(['j1a', 'j1b', 'j2a', 'j2b', 'j3a', 'j3b']);
    expect(server.log.map((r) => [r.query.get('maxresults'), r.query.get('skiptoken')])).toEqual([
      ['1000', null],
      ['1000', '2'],
      ['1000', '3'],
    ]);
  });

  test('listOutputFiles is a POST with its query parameters', async () => {
    const client = run(() => ({
      status: 200,
      body: { value: [{ name: 'stdout.txt', fileType: 'file', properties: { contentLength: 12 } }] },
    }));
    const files = await collect(
      client.listOutputFiles(REF, {
        outputDirectoryId: 'stdouterr',
        directory: 'sub',
        linkExpiryInMinutes: 15,
        maxResults: 50,
      }),
    );
    expect(files[0]).toEqual({ name: 'stdout.txt', fileType: 'file', properties: { contentLength: 12 } });
    const q = server.log[0].query;
    expect([
      server.log[0].method,
      q.get('outputdirectoryid'),
      q.get('directory'),
      q.get('linkexpiryinminutes'),
      q.get('maxresults'),
    ]).toEqual(['POST', 'stdouterr', 'sub', '15', '50']);
    expect(() => client.listOutputFiles(REF, { outputDirectoryId: 'stdouterr', linkExpiryInMinutes: 1 })).toThrow(
      /linkExpiryInMinutes=1: expected a whole number from 5 to 600/,
    );
  });

  test('a nextLink to another origin is refused and nothing is sent there', async () => {
    const other = await startScriptedServer(() => ({ status: 200, body: { value: [] } }));
    try {
      const client = run(() => ({
        status: 200,
        body: { value: [jobBody('a')], nextLink: `${other.url}${WS}/experiments/exp/jobs?skiptoken=2` },
      }));
      await expect(collect(client.listJobs(REF))).rejects.toThrow(ProtocolError);
      expect(other.log).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});

describe('retries', () => {
  test('429 with Retry-After, then success', async () => {
    const client = run((_req, log) =>
      log.length === 1
        ? { status: 429, headers: { 'Retry-After': 1 }, body: armError('TooManyRequests', 'slow down') }
        : { status: 200, body: jobBody('job1') },
    );
    expect((await client.getJob(REF)).name).toBe('job1');
    expect(server.log).toHaveLength(2);
    expect(server.log[1].at - server.log[0].at).toBeGreaterThanOrEqual(950);
  });

  test('503, then success', async () => {
    const client = run((_req, log) =>
      log.length === 1 ? { status: 503, body: 'Service Unavailable' } : { status: 200, body: jobBody('job1') },
    );
    expect((await client.getJob(REF)).name).toBe('job1');
    expect(server.log).toHaveLength(2);
  });

  test('retries exhausted → ComputeError from the last answer', async () => {
    const client = run(() => ({ status: 500, body: armError('InternalServerError', 'boom') }), {
      retry: { maxRetries: 2, baseDelayMs: 5 },
    });
    await expect(client.getJob(REF)).rejects.toMatchObject({
      name: 'ComputeError',
      code: 'InternalServerError',
      message: 'boom',
      status: 500,
      backend: 'batchai',
    });
    expect(server.log).toHaveLength(3);
  });

  test('a service that cannot be reached → ComputeError ServiceUnreachable after the retries', async () => {
    const gone = await startScriptedServer(() => ({ status: 200 }));
    const url = gone.url;
    await gone.close();
    const client = createBatchAiClient({
      endpoint: url,
      subscriptionId: SUB,
      credential: staticTokenCredential(TOKEN),
      retry: { maxRetries: 1, baseDelayMs: 5 },
    });
    await expect(client.getJob(REF)).rejects.toMatchObject({
      name: 'ComputeError',
      code: 'ServiceUnreachable',
      status: 0,
      backend: 'batchai',
    });
  });
});

describe('errors', () => {
  test('ARM error body → ComputeError with code, message, status, target; 4xx is not retried', async () => {
    const client = run(() => ({
      status: 404,
      body: armError('ResourceNotFound', 'The job job1 was not found.', 'job1'),
    }));
    const err = await client.getJob(REF).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ResourceNotFound',
      message: 'The job job1 was not found.',
      status: 404,
      backend: 'batchai',
      target: 'job1',
    });
    expect(isNotFound(err)).toBe(true);
    expect(server.log).toHaveLength(1);
  });

  test('a non-JSON 502 still gives a ComputeError with the status and a readable message, not the token', async () => {
    const client = run(
      () => ({
        status: 502,
        body: `<html><body><h1>502 Bad Gateway</h1><p>Authorization: Bearer ${TOKEN}</p></body></html>`,
      }),
      { retry: { maxRetries: 0 } },
    );
    const err = (await client.getJob(REF).catch((e: unknown) => e)) as ComputeError;
    expect(err).toBeInstanceOf(ComputeError);
    expect([err.code, err.status]).toEqual(['Http502', 502]);
    expect(err.message).toMatch(
      /^GET \/subscriptions\/sub-1\/.*\/jobs\/job1 answered HTTP 502 without an ARM error body: 502 Bad Gateway/,
    );
    expect(err.message).not.toContain(TOKEN);
  });

  test('an ARM message that echoes the token is redacted', async () => {
    const client = run(() => ({
      status: 401,
      body: armError('InvalidAuthenticationToken', `Token Bearer ${TOKEN} is not valid.`),
    }));
    const err = (await client.getJob(REF).catch((e: unknown) => e)) as ComputeError;
    expect(err.code).toBe('InvalidAuthenticationToken');
    expect(err.message).toBe('Token Bearer *** is not valid.');
  });
});

describe('lenient parsing', () => {
  test('key case, trimmed or long fractions, missing zone, nulls, numbers as strings, missing arrays', async () => {
    const client = run(() => ({
      status: 200,
      body: {
        ID: `${WS}/experiments/exp/jobs/job1`,
        Name: 'job1',
        Properties: {
          executionstate: 'succeeded',
          NodeCount: '2',
          cluster: null,
          creationTime: '2018-01-02T03:04:05Z',
          executionStateTransitionTime: '2018-01-02T03:04:05.1234567',
          EXECUTIONINFO: { exitCode: 0, endTime: '2018-01-02T03:05:00.5Z' },
        },
      },
    }));
    const job = await client.getJob(REF);
    expect(job).toEqual({
      id: `${WS}/experiments/exp/jobs/job1`,
      name: 'job1',
      properties: {
        executionState: 'succeeded',
        nodeCount: 2,
        creationTime: '2018-01-02T03:04:05.000Z',
        executionStateTransitionTime: '2018-01-02T03:04:05.123Z',
        executionInfo: { exitCode: 0, endTime: '2018-01-02T03:05:00.500Z', errors: [] },
        inputDirectories: [],
        outputDirectories: [],
        environmentVariables: [],
        secrets: [],
      },
    });
  });

  test('not the expected shape at all → ProtocolError saying what was expected', async () => {
    let client = run(() => ({ status: 200, body: { items: [] } }));
    await expect(collect(client.listJobs(REF))).rejects.toThrow(
      /GET .*\/jobs: expected a list \{"value": \[Job, \.\.\.\]/,
    );
    client = run(() => ({ status: 200, body: [1, 2] }));
    await expect(client.getJob(REF)).rejects.toThrow(/expected a JSON object \(Job\), got an array/);
    client = run(() => ({ status: 200, body: { properties: { nodeCount: 'two' } } }));
    await expect(client.getJob(REF)).rejects.toThrow(/properties\.nodeCount: expected a number, got string "two"/);
    client = run(() => ({ status: 200, body: 'not json' }));
    await expect(client.getJob(REF)).rejects.toThrow(ProtocolError);
  });
});

describe('names and endpoints', () => {
  test('names are validated before anything is sent', async () => {
    const client = run(() => ({ status: 200, body: jobBody('x') }));
    expect(() => client.getJob({ ...REF, job: 'bad/name' })).toThrow(InputError);
    expect(() => client.getJob({ ...REF, job: 'x'.repeat(65) })).toThrow(
      /job name "x{65}": expected 1-64 characters: letters, digits, '-' or '_'/,
    );
    expect(() => client.listJobs({ ...REF, experiment: '' })).toThrow(/experiment name "": expected/);
    expect(() => client.getCluster({ resourceGroup: 'rg?x', workspace: 'ws', cluster: 'gpu' })).toThrow(
      /resource group name "rg\?x"/,
    );
    expect(() => client.listJobs(REF, { maxResults: 5000 })).toThrow(
      /maxResults=5000: expected a whole number from 1 to 1000/,
    );
    expect(server.log).toHaveLength(0);
  });

  test('plain http is refused off loopback', () => {
    expect(() =>
      createBatchAiClient({
        endpoint: 'http://example.com',
        subscriptionId: SUB,
        credential: staticTokenCredential(TOKEN),
      }),
    ).toThrow(/expected https:\/\/, or http:\/\/ on 127\.0\.0\.1\/localhost/);
  });

  test('https endpoints authenticate through core bearerTokenAuthenticationPolicy with the ARM scope', async () => {
    const scopes: string[] = [];
    const credential: TokenCredential = {
      async getToken(s): Promise<AccessToken> {
        scopes.push(...[s].flat());
        return { token: 'aad-token', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    // The transport is injected: it carries the https request to the local http server unchanged otherwise.
    const inner = createDefaultHttpClient();
    const httpClient: HttpClient = {
      sendRequest: (req) =>
        inner.sendRequest({ ...req, url: req.url.replace(/^https:/, 'http:'), allowInsecureConnection: true }),
    };
    run(() => ({ status: 200, body: { value: [{ name: { value: 'gpu' }, currentValue: 1, limit: 2 }] } }));
    const client = createBatchAiClient({
      endpoint: server.url.replace('http:', 'https:'),
      subscriptionId: SUB,
      credential,
      httpClient,
    });
    expect(await collect(client.listUsages('eastus'))).toEqual([{ name: { value: 'gpu' }, currentValue: 1, limit: 2 }]);
    expect(server.log[0].authorization).toBe('Bearer aad-token');
    expect(scopes).toEqual(['https://management.azure.com/.default']);
  });
});
