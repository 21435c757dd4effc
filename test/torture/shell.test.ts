// Torture suite 2, the shell door: generated command-line templates (shell-grammar.ts) × hostile values. A
// template that puts a string placeholder where bash or another program reads text again must be refused when
// loaded; every other one is rendered with each value (and with each value as its default) and run for real in
// bash, as each backend runs it: the Batch AI body's command line with the job's environment (as the engine
// runs it), and the Azure Batch task's command line with its environment settings. The marker file $M can only
// appear through an injection.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { translateJob } from '../../shared/azurebatch/batch-job';
import type { JobBaseProperties, JobCreateParameters } from '../../shared/compute/job-file';
import { InputError } from '../../shared/errors';
import { parseTemplate, renderTemplate, type Template } from '../../shared/templates/templates';
import { removeDir, tempDir } from '../engine/helpers';
import { mulberry32 } from './generate';
import { everyContextOnce, INJECTIONS, shellCases } from './shell-grammar';

const SEED = 20261207;
const CLUSTER = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/ws/clusters/cpu';
const cases = [...shellCases(mulberry32(SEED), 100), ...everyContextOnce()];

let dir: string;
beforeAll(() => {
  dir = tempDir();
  mkdirSync(join(dir, 'wd'));
});
afterAll(() => {
  removeDir(dir);
  console.log(`shell torture: ${JSON.stringify(counts)}`);
});

const template = (commandLine: string, byDefault?: string): Template =>
  parseTemplate(
    {
      parameters: [{ name: 'v', pattern: '(?s).{0,200}', allowOption: true, default: byDefault }],
      properties: {
        customToolkitSettings: { commandLine },
        environmentVariables: [{ name: 'V', value: '{{v}}' }],
        stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
      },
    },
    't',
  );

let runs = 0;

/** Runs `command` in bash with `env`; true when its marker appeared (an injection). */
async function injected(command: string, env: Array<{ name: string; value?: string }>): Promise<boolean> {
  const marker = join(dir, `INJECTED-${runs++}`);
  const vars: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, M: marker };
  for (const e of env) vars[e.name] = e.value ?? '';
  const child = spawn('bash', ['-c', command], { env: vars, cwd: dir, timeout: 10_000, stdio: 'ignore' });
  await once(child, 'close');
  return existsSync(marker);
}

/** The body run as each backend runs it: the labels of the backends where the marker appeared. */
async function onBothBackends(body: JobCreateParameters): Promise<string[]> {
  const p = body.properties as JobBaseProperties;
  const { task } = translateJob(p, {
    jobId: 'j',
    poolId: 'cpu',
    experiment: 'default',
    outputContainerUrl: 'https://a.blob.core.windows.net/c?sig=x',
  });
  const node = [
    { name: 'AZ_BATCH_NODE_MOUNTS_DIR', value: dir },
    { name: 'AZ_BATCH_TASK_WORKING_DIR', value: join(dir, 'wd') },
  ];
  const [batchai, azurebatch] = await Promise.all([
    injected(p.customToolkitSettings!.commandLine!, [...(p.environmentVariables ?? []), ...(p.secrets ?? [])]),
    injected(task.commandLine, [...(task.environmentSettings ?? []), ...node]),
  ]);
  return [...(batchai ? ['batchai'] : []), ...(azurebatch ? ['azurebatch'] : [])];
}

const counts = { inputs: 0, refusedAtLoad: 0, refusedValues: 0, executed: 0, passed: 0 };

/** The bodies of one case: each value given by a person, and every third one as the template's own default. */
function bodies(commandLine: string, plain: Template): Array<{ value: string; body: JobCreateParameters }> {
  const out: Array<{ value: string; body: JobCreateParameters }> = [];
  for (const [i, value] of INJECTIONS.entries()) {
    for (const given of i % 3 === 0 ? [true, false] : [true]) {
      counts.inputs++;
      try {
        const t = given ? plain : template(commandLine, value);
        out.push({ value, body: renderTemplate(t, given ? { v: value } : {}, { cluster: CLUSTER }) });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        counts.refusedValues++;
      }
    }
  }
  return out;
}

const CHUNK = 10;
const chunks = Array.from({ length: Math.ceil(cases.length / CHUNK) }, (_, i) => i * CHUNK);

test.each(chunks)('generated command lines %d+ × hostile values: refused, or run with no injection', async (from) => {
  const failures: string[] = [];
  for (const c of cases.slice(from, from + CHUNK)) {
    let plain: Template;
    try {
      plain = template(c.commandLine);
    } catch (e) {
      if (!(e instanceof InputError) || e.code !== 'TemplateInvalid') throw e;
      counts.inputs += INJECTIONS.length;
      counts.refusedAtLoad += INJECTIONS.length;
      if (!c.evaluated) failures.push(`refused a data context: ${JSON.stringify(c.commandLine)}: ${e.message}`);
      continue;
    }
    if (c.evaluated) failures.push(`accepted: ${JSON.stringify(c.commandLine)}`);
    const runs = bodies(c.commandLine, plain);
    const hits = await Promise.all(runs.map((r) => onBothBackends(r.body)));
    counts.executed += runs.length;
    for (const [i, h] of hits.entries()) {
      if (h.length === 0) counts.passed++;
      else
        failures.push(
          `injected on ${h.join(', ')}: ${JSON.stringify(c.commandLine)} ← ${JSON.stringify(runs[i]!.value)}`,
        );
    }
  }
  expect(failures).toEqual([]);
});
