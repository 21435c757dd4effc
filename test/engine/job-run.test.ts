// Jobs run for real: stdout on the mounted share (on disk and through listOutputFiles' signed URL), the
// AZ_BATCHAI_* environment, output directories, failures, the wall-clock limit and terminate.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AFS, arm, EXP, jobBody, runJob, setupCluster, SUB, useFastEngine, waitFor } from './helpers';

const engine = useFastEngine((e) =>
  setupCluster(e, 'c1', { manual: { targetNodeCount: 2 } }, { nodeSetup: { mountVolumes: AFS } }),
);

function stdoutDir(job: any): string {
  return join(engine.dataDir, 'files', 'acct', 'share1', job.properties.jobOutputDirectoryPathSegment, 'stdouterr');
}

test('a job writes {prefix}/{segment}/stdouterr/stdout.txt on the share, readable by a signed ranged GET', async () => {
  const job = await runJob(engine, 'hello', jobBody('echo hello from the job; echo oops >&2'));
  expect(job.properties.executionState).toBe('succeeded');
  expect(job.properties.executionInfo.exitCode).toBe(0);
  expect(job.properties.jobOutputDirectoryPathSegment).toMatch(
    new RegExp(`^${SUB}/demo_rg/workspaces/demo_ws/experiments/exp1/jobs/hello/[0-9a-f-]{36}$`),
  );
  expect(readFileSync(join(stdoutDir(job), 'stdout.txt'), 'utf8')).toBe('hello from the job\n');
  expect(readFileSync(join(stdoutDir(job), 'stderr.txt'), 'utf8')).toBe('oops\n');

  const list = await arm(
    engine,
    'POST',
    `${EXP}/jobs/hello/listOutputFiles?api-version=2018-05-01&outputdirectoryid=stdouterr&linkexpiryinminutes=5`,
  );
  expect(list.status).toBe(200);
  const out = list.body.value.find((f: any) => f.name === 'stdout.txt');
  expect(out).toMatchObject({ fileType: 'file', properties: { contentLength: 19 } });
  expect(out.properties.lastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  expect(out.downloadUrl.startsWith(`${engine.filesUrl}/acct/share1/`)).toBe(true);
  const ranged = await fetch(out.downloadUrl, { headers: { 'x-ms-range': 'bytes=6-9', 'x-ms-version': '2026-10-06' } });
  expect(ranged.status).toBe(206);
  expect(await ranged.text()).toBe('from');
  const tampered = await fetch(out.downloadUrl.replace('stdout.txt', 'stderr.txt'));
  expect(tampered.status).toBe(403);
});

test('the job sees the AZ_BATCHAI_* environment, its variables and secrets; its output directories exist', async () => {
  const job = await runJob(
    engine,
    'env',
    jobBody(
      'echo "MR=$AZ_BATCHAI_MOUNT_ROOT JMR=$AZ_BATCHAI_JOB_MOUNT_ROOT TMP=$AZ_BATCHAI_JOB_TEMP_DIR' +
        ' IN=$AZ_BATCHAI_INPUT_DATA OUT=$AZ_BATCHAI_OUTPUT_MODEL GPUS=$AZ_BATCHAI_NUM_GPUS' +
        ' TI=$AZ_BATCHAI_TASK_INDEX FOO=$FOO TOKEN=$TOKEN";' +
        ' echo model > $AZ_BATCHAI_OUTPUT_MODEL/m.bin;' +
        ' ls $AZ_BATCHAI_MOUNT_ROOT/afs >/dev/null && ls $AZ_BATCHAI_JOB_MOUNT_ROOT/jobshare >/dev/null',
      {
        mountVolumes: {
          azureFileShares: [
            {
              accountName: 'acct',
              azureFileUrl: 'https://acct.file.core.windows.net/share2',
              credentials: {},
              relativeMountPath: 'jobshare',
            },
          ],
        },
        inputDirectories: [{ id: 'DATA', path: '$AZ_BATCHAI_MOUNT_ROOT/afs/data' }],
        outputDirectories: [{ id: 'MODEL', pathPrefix: '$AZ_BATCHAI_JOB_MOUNT_ROOT/jobshare', pathSuffix: 'models' }],
        environmentVariables: [{ name: 'FOO', value: 'bar' }],
        secrets: [{ name: 'TOKEN', value: 's3cr3t-value' }],
      },
    ),
  );
  expect(job.properties.executionState).toBe('succeeded');
  const line = readFileSync(join(stdoutDir(job), 'stdout.txt'), 'utf8');
  const env = Object.fromEntries(
    line
      .trim()
      .split(' ')
      .map((kv) => kv.split('=') as [string, string]),
  );
  expect(env.MR).toMatch(/mounts$/);
  expect(env.JMR).toContain(join('jobs'));
  expect(existsSync(env.TMP!)).toBe(true);
  expect(env.IN).toBe(`${env.MR}/afs/data`);
  const segment = job.properties.jobOutputDirectoryPathSegment;
  expect(env.OUT).toBe(`${env.JMR}/jobshare/${segment}/outputs/models`);
  expect(env).toMatchObject({ GPUS: '0', TI: '0', FOO: 'bar', TOKEN: 's3cr3t-value' });
  // The output lives on share2, so its listing links to share2.
  expect(
    readFileSync(join(engine.dataDir, 'files', 'acct', 'share2', segment, 'outputs', 'models', 'm.bin'), 'utf8'),
  ).toBe('model\n');
  const list = await arm(
    engine,
    'POST',
    `${EXP}/jobs/env/listOutputFiles?api-version=2018-05-01&outputdirectoryid=MODEL`,
  );
  expect(list.body.value).toHaveLength(1);
  expect(list.body.value[0].downloadUrl.startsWith(`${engine.filesUrl}/acct/share2/`)).toBe(true);
  expect(JSON.stringify((await arm(engine, 'GET', `${EXP}/jobs/env`)).body)).not.toContain('s3cr3t-value');
});

test('a python framework job runs the interpreter with the script and its arguments, processCount times', async () => {
  const job = await runJob(
    engine,
    'torch',
    jobBody('', {
      customToolkitSettings: undefined,
      nodeCount: 2,
      pyTorchSettings: {
        pythonScriptFilePath: '-c',
        commandLineArgs: "\"import os; print('rank', os.environ['AZ_BATCHAI_TASK_INDEX'])\"",
        processCount: 2,
      },
    }),
  );
  expect(job.properties).toMatchObject({ executionState: 'succeeded', toolType: 'custom' });
  const dir = stdoutDir(job);
  expect(readFileSync(join(dir, 'stdout.txt'), 'utf8')).toBe('rank 0\n');
  expect(readFileSync(join(dir, 'stdout-worker-1.txt'), 'utf8')).toBe('rank 1\n');
});

test('failing job → failed, its exit code, JobFailed; failing preparation → JobPreparationFailed', async () => {
  const failed = await runJob(engine, 'exit3', jobBody('echo about to fail; exit 3'));
  expect(failed.properties.executionState).toBe('failed');
  expect(failed.properties.executionInfo.exitCode).toBe(3);
  expect(failed.properties.executionInfo.errors[0].code).toBe('JobFailed');

  const prep = await runJob(
    engine,
    'prep',
    jobBody('echo never', { jobPreparation: { commandLine: 'echo preparing; exit 4' } }),
  );
  expect(prep.properties.executionState).toBe('failed');
  expect(prep.properties.executionInfo).toMatchObject({ exitCode: 4, errors: [{ code: 'JobPreparationFailed' }] });
  expect(readFileSync(join(stdoutDir(prep), 'stdout-job_prep.txt'), 'utf8')).toBe('preparing\n');
  expect(existsSync(join(stdoutDir(prep), 'stdout.txt'))).toBe(false);
});

test('constraints.maxWallClockTime is enforced (ISO-8601 and timespan forms)', async () => {
  // The sleeps outlast runJob's wait: only the limit can end these jobs in time, and only it gives this code.
  const iso = await runJob(engine, 'slow-iso', jobBody('sleep 30', { constraints: { maxWallClockTime: 'PT0.5S' } }));
  expect(iso.properties.executionState).toBe('failed');
  expect(iso.properties.executionInfo.errors[0].code).toBe('MaxWallClockTimeExpiry');
  const ts = await runJob(engine, 'slow-ts', jobBody('sleep 30', { constraints: { maxWallClockTime: '00:00:01' } }));
  expect(ts.properties.executionState).toBe('failed');
  expect(ts.properties.executionInfo.errors[0].code).toBe('MaxWallClockTimeExpiry');
});

test('terminate: a long-running operation killing the process tree; the job ends failed, JobTerminated', async () => {
  const pidFile = join(engine.dataDir, 'child.pid');
  const put = await arm(engine, 'PUT', `${EXP}/jobs/long`, jobBody(`(sleep 60 & echo $! > ${pidFile}; wait)`));
  expect(put.status).toBe(202);
  await waitFor('child started', async () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim().length > 0);
  const childPid = Number(readFileSync(pidFile, 'utf8'));
  expect(() => process.kill(childPid, 0)).not.toThrow();

  const ending = engine.hold('jobEnd');
  const term = await arm(engine, 'POST', `${EXP}/jobs/long/terminate`);
  expect(term.status).toBe(202);
  expect((await arm(engine, 'GET', `${EXP}/jobs/long`)).body.properties.executionState).toBe('terminating');
  expect((await arm(engine, 'GET', term.headers.get('location')!)).status).toBe(202);
  ending.release();
  const job = await waitFor('terminated', async () => {
    const j = await arm(engine, 'GET', `${EXP}/jobs/long`);
    return j.body.properties.executionState === 'failed' ? j.body : undefined;
  });
  expect(job.properties.executionInfo.errors[0].code).toBe('JobTerminated');
  expect((await arm(engine, 'GET', term.headers.get('location')!)).status).toBe(204);
  await waitFor('grandchild gone', async () => {
    try {
      process.kill(childPid, 0);
      return false;
    } catch {
      return true;
    }
  });
  const again = await arm(engine, 'POST', `${EXP}/jobs/long/terminate`);
  expect(again.status).toBe(200);
  expect(again.text).toBe('');
});

test('containerSettings: the job runs on the host and its execution info says so', async () => {
  const job = await runJob(
    engine,
    'docker',
    jobBody('echo on host', {
      containerSettings: {
        imageSourceRegistry: { image: 'ubuntu', credentials: { username: 'u', password: 'registry-pass' } },
      },
    }),
  );
  expect(job.properties.executionState).toBe('succeeded');
  expect(job.properties.executionInfo.errors[0].code).toBe('ContainerNotSupported');
  expect(JSON.stringify(job)).not.toContain('registry-pass');
});

test('listOutputFiles pages with maxresults/nextLink, lists directories, and reads sub-directories', async () => {
  await runJob(
    engine,
    'files',
    jobBody(
      'mkdir -p $AZ_BATCHAI_OUTPUT_OUT/sub && for f in a b c; do echo $f > $AZ_BATCHAI_OUTPUT_OUT/$f.txt; done' +
        ' && echo deep > $AZ_BATCHAI_OUTPUT_OUT/sub/d.txt',
      {
        outputDirectories: [{ id: 'OUT', pathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs' }],
      },
    ),
  );
  const base = `${EXP}/jobs/files/listOutputFiles?api-version=2018-05-01&outputdirectoryid=OUT`;
  const first = await arm(engine, 'POST', `${base}&maxresults=3`);
  expect(first.body.value).toHaveLength(3);
  const second = await arm(engine, 'POST', first.body.nextLink);
  expect(second.body.value).toHaveLength(1);
  expect(second.body.nextLink).toBeUndefined();
  // Pages follow the directory's order (core/outputs.ts): each entry once, sorted within its page.
  const listed = [...first.body.value, ...second.body.value];
  expect(listed.map((f: any) => f.name).sort()).toEqual(['a.txt', 'b.txt', 'c.txt', 'sub']);
  expect(listed.find((f: any) => f.name === 'sub')).toEqual({ name: 'sub', fileType: 'directory' });
  const sub = await arm(engine, 'POST', `${base}&directory=sub`);
  expect(sub.body.value[0]).toMatchObject({ name: 'd.txt', properties: { contentLength: 5 } });
  expect(await (await fetch(sub.body.value[0].downloadUrl)).text()).toBe('deep\n');
  const outside = await arm(engine, 'POST', `${base}&directory=../../..`);
  expect([outside.status, outside.body.error.code]).toEqual([400, 'InvalidDirectory']);
  const unknown = await arm(
    engine,
    'POST',
    `${EXP}/jobs/files/listOutputFiles?api-version=2018-05-01&outputdirectoryid=NOPE`,
  );
  expect(unknown.body.error.code).toBe('OutputDirectoryNotFound');
  const badExpiry = await arm(engine, 'POST', `${base}&linkexpiryinminutes=1`);
  expect(badExpiry.status).toBe(400);
});

test('deleting the workspace kills its running jobs and removes everything below it', async () => {
  const ws2 = EXP.replace('demo_ws', 'doomed').replace('/experiments/exp1', '');
  await arm(engine, 'PUT', ws2, { location: 'eastus' });
  await arm(engine, 'PUT', `${ws2}/experiments/e`);
  await arm(engine, 'PUT', `${ws2}/clusters/c`, {
    properties: {
      vmSize: 'STANDARD_NC6',
      scaleSettings: { manual: { targetNodeCount: 1 } },
      userAccountSettings: { adminUserName: 'u' },
    },
  });
  const pidFile = join(engine.dataDir, 'doomed.pid');
  await arm(engine, 'PUT', `${ws2}/experiments/e/jobs/j`, {
    properties: {
      cluster: { id: `${ws2}/clusters/c` },
      nodeCount: 1,
      stdOutErrPathPrefix: '$AZ_BATCHAI_JOB_TEMP_DIR',
      customToolkitSettings: { commandLine: `echo $$ > ${pidFile}; sleep 60` },
    },
  });
  await waitFor(
    'doomed job running',
    async () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim().length > 0,
  );
  const pid = Number(readFileSync(pidFile, 'utf8'));
  const del = await arm(engine, 'DELETE', ws2);
  expect(del.status).toBe(202);
  await waitFor('workspace gone', async () => (await arm(engine, 'GET', ws2)).status === 404);
  expect((await arm(engine, 'GET', del.headers.get('azure-asyncoperation')!)).body.status).toBe('Succeeded');
  expect(() => process.kill(pid, 0)).toThrow();
});
