// The progress reader on the real stack (engine running the shipped examples as processes, Azurite, the bot,
// the fake channel): a training job's card shows its bar and loss while it runs and a chart's points when it
// ends; the out-of-memory example's card names its cause and quotes the line; the hanging example gets exactly
// one stuck alert (the reader's clock is injected: no test waits for minutes to pass).
import { installExamples } from '../../local/example-share';
import { buttonCommands, cardText, startBotStack, type BotStack } from '../../local/harness/bot-stack';
import { createProgressReader } from '../../bot/progress-reader';
import type { ComputeBackend } from '../../shared/compute/model';
import { jobAlertView } from '../../shared/core/alert-view';
import type { JobEvent } from '../../shared/core/events';
import { toJobSummary } from '../../shared/core/job-view';
import { jobAlertContent } from '../../shared/services/alert-content';
import { useStarted } from '../support/use-started';
import { waitFor } from '../support/wait-for';

describe.each<ComputeBackend>(['batchai', 'azurebatch', 'azureml'])('progress on %s', (backend) => {
  let stack: BotStack;
  const started = useStarted(
    'bot stack',
    () => startBotStack({ backend, env: { PROGRESS_UPDATE_SECONDS: '1' } }),
    (s) => s.stop(),
  );
  beforeAll(() => {
    stack = started.current;
    installExamples(stack.engine.shareDir('acct', 'logs'));
  });

  test('a training card shows the bar, the epoch, the ETA and the loss while it runs, then its end', async () => {
    const c = `${backend}-train`;
    const reply = await stack.say(c, 'submit train-progress epochs=2 steps=6 stepSeconds=0.4 --name tp-one');
    expect(cardText(reply)).toMatch(/Submitted/);
    const reader = stack.services.progressReader;
    const running = await waitFor(
      'a card update with progress',
      async () => {
        await reader.tick();
        return stack.channel
          .activities(c)
          .find((a) => a.id === reply.id && /epoch \d\/2.*ETA/.test(cardText(a)) && /loss/.test(cardText(a)));
      },
      undefined,
      { intervalMs: 300 },
    );
    expect(cardText(running)).toMatch(/[▰▱]{10} \d+%/);
    expect(cardText(running)).toMatch(/Running/);
    const watches = stack.services.deps.progressWatches!;
    await waitFor(
      'the watch to end with the job',
      async () => {
        await reader.tick();
        return (await watches.list()).find((w) => w.job.job === 'tp-one')?.endedAt;
      },
      undefined,
      { intervalMs: 300 },
    );
    // The reader's final card and the follow-up's both carry the chart: after both, the card still shows it.
    const finals = () => stack.channel.activities(c).filter((a) => a.id === reply.id && /Succeeded/.test(cardText(a)));
    await waitFor('both final updates (the reader and the follow-up)', () => finals().length >= 2);
    const last = finals().pop()!;
    expect(JSON.stringify(last)).toContain('Chart.Line');
    expect(cardText(last)).not.toMatch(/Cause:/);
    expect(cardText(last)).not.toMatch(/[▰▱]/);
    expect(JSON.stringify(last)).toMatch(/"legend":"loss"/);
  });

  test('the out-of-memory example: the card names the cause and quotes MemoryError', async () => {
    const c = `${backend}-oom`;
    const reply = await stack.say(c, 'submit oom limitMiB=128 --name oom-one');
    const done = await stack.channel
      .waitFor(c, (a) => a.id === reply.id && /Failed/.test(cardText(a)), 25_000)
      .catch((e) => {
        console.log(stack.channel.activities(c).map(cardText).join('\n----\n'), stack.logLines.join('\n'));
        throw e;
      });
    expect(cardText(done)).toMatch(/Cause: Out of memory/);
    expect(cardText(done)).toMatch(/MemoryError/);
    // The failure alert, built as the notifier builds it (its tails read through the same port): the same cause.
    const { compute } = stack.services.deps;
    const ref = { resourceGroup: 'rg', workspace: 'ws', experiment: 'exp', job: 'oom-one' };
    const job = await compute.getJob(ref);
    const event: JobEvent = {
      kind: 'job',
      id: 'e1',
      workspace: { resourceGroup: 'rg', workspace: 'ws' },
      resourceId: job.id,
      experiment: 'exp',
      job: 'oom-one',
      to: 'failed',
      at: job.endedAt ?? '',
      summary: toJobSummary(job, 'ws'),
      outputDirectoryIds: job.outputDirectoryIds,
    };
    const content = await jobAlertContent(
      { compute, logs: stack.config.logs, now: () => new Date(), log: () => undefined },
      event,
    );
    const alert = jobAlertView(event, content);
    expect(alert.cause).toEqual({ title: 'Out of memory (the process was killed)', quote: 'MemoryError' });
  });

  test('the hanging example: one stuck alert per stall, with Terminate and a working Keep waiting', async () => {
    const c = `${backend}-hang`;
    const reply = await stack.say(c, 'submit hang --name hang-one');
    expect(cardText(reply)).toMatch(/Submitted/);
    let offset = 0;
    const reader = createProgressReader({
      ...stack.services.deps,
      now: () => new Date(Date.now() + offset),
      watches: stack.services.deps.progressWatches!,
      budget: { maxJobs: 10, updateSeconds: 1, stallMinutes: 1 },
    });
    const stuck = () => stack.channel.activities(c).filter((a) => /No output for/.test(cardText(a)));
    // It prints five steps and "waiting for rank 1" within ~3 s, then nothing: wait until its size holds still.
    let last = { size: -1, since: Date.now() };
    await waitFor(
      'the job to go quiet after its last line',
      async () => {
        await reader.tick();
        const w = (await stack.services.deps.progressWatches!.list()).find((x) => x.job.job === 'hang-one');
        const size = w?.state.stdoutSize ?? 0;
        if (size !== last.size) last = { size, since: Date.now() };
        return w?.progress?.step === 5 && size > 0 && Date.now() - last.since > 1500;
      },
      undefined,
      { intervalMs: 200 },
    );
    expect(stuck()).toHaveLength(0);
    // The template's own window (2 min) wins over the reader's default (1 min here): silent 100 s, no alert; 121 s,
    // one; much later, no second one for the same stall.
    const oneStall = async () => {
      offset += 100_000;
      expect((await reader.tick()).stuck).toBe(0);
      offset += 21_000;
      expect((await reader.tick()).stuck).toBe(1);
      offset += 300_000;
      expect((await reader.tick()).stuck).toBe(0);
    };
    await oneStall();
    const alert = await waitFor('the stuck alert', () => stuck()[0]);
    expect(stuck()).toHaveLength(1);
    expect(cardText(alert)).toMatch(/1 node on gpu \(STANDARD_NC6\)/i);
    expect(buttonCommands(alert)).toEqual(['terminate exp/hang-one', 'keep-waiting exp/hang-one']);
    // [Keep waiting]: the alert says who chose it, in place; the stall is re-armed from now (the reader's clock
    // back on the bot's), so one more alert comes after the template's window, and only one.
    const kept = await stack.say(c, '', { value: { command: 'keep-waiting exp/hang-one' } });
    expect(cardText(kept)).toMatch(/chose to keep waiting/);
    const inPlace = await waitFor('the alert updated in place', () =>
      stack.channel.activities(c).find((a) => a.id === alert.id && /chose to keep waiting/.test(cardText(a))),
    );
    expect(buttonCommands(inPlace)).toEqual(['terminate exp/hang-one']);
    offset = 0;
    await oneStall();
    // The answer to the press shows the same card (web chat posts a button's answer as a message of its own).
    const alerts = () =>
      new Set(
        stuck()
          .map((a) => a.id)
          .filter((id) => id !== kept.id),
      );
    await waitFor('the second stuck alert', () => (alerts().size > 1 ? true : undefined));
    expect(alerts().size).toBe(2);
    const confirm = await stack.say(c, '', { value: { command: 'terminate exp/hang-one' } });
    expect(cardText(confirm)).toMatch(/[Tt]erminate/);
    await stack.say(c, 'terminate hang-one --yes');
  });

  // Two writers update a submitted job's card: the progress reader and the card's follow-up (bot/follow-up-step.ts),
  // which redraws it when the job's state changes. The follow-up is held here (its host stopped) until the reader
  // has shown the bar and the chart, then let go: it sees queued → running and redraws the card. Its card must keep
  // what the reader showed: before, it was the plain job card, and the bar and chart were gone until the reader's
  // next update (where that state change came after the reader's first update, on Azure Batch and Azure ML, the
  // completion alert could arrive before a card with a chart again).
  test("the follow-up's redraw of a running card keeps the bar, the loss and the chart the reader showed", async () => {
    const c = `${backend}-held`;
    const ref = { resourceGroup: 'rg', workspace: 'ws', experiment: 'exp', job: 'tp-held' };
    const updates = () => stack.channel.activities(c).filter((a) => a.id === reply.id);
    const shows = (a: unknown) => /[▰▱]{10}/.test(cardText(a as never)) && JSON.stringify(a).includes('Chart.Line');
    await stack.stopBot();
    await stack.startBot({ queues: false });
    let reply: Awaited<ReturnType<BotStack['say']>>;
    try {
      reply = await stack.say(c, 'submit train-progress epochs=1 steps=200 stepSeconds=0.2 --name tp-held');
      // The follow-up's key is the state the submit answered: a later "running" is a change it redraws for.
      expect(cardText(reply)).toMatch(/Queued/);
      const reader = stack.services.progressReader;
      await waitFor(
        "the reader's card with the bar and the chart",
        async () => {
          await reader.tick();
          return updates().find((a) => /Running/.test(cardText(a)) && shows(a));
        },
        undefined,
        { intervalMs: 300 },
      );
    } finally {
      await stack.stopBot();
      await stack.startBot();
    }
    try {
      // The reader ticks only when this test calls it: an update from here on is the follow-up's.
      const seen = updates().length;
      const redrawn = await waitFor("the follow-up's redraw", () => updates()[seen]);
      expect(cardText(redrawn)).toMatch(/Running/);
      expect(shows(redrawn)).toBe(true);
      expect(cardText(redrawn)).toMatch(/loss/);
    } finally {
      await stack.services.deps.compute.terminateJob(ref);
    }
  });
});
