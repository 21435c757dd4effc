// Chat read commands end to end on the local stack: an activity POSTed to the `messages` function until the
// reply reaches the (fake) channel, through the real CloudAdapter, engine and Azurite. Goal: p50 ≤ 100 ms,
// p99 ≤ 300 ms. Beside `logs`: the naive tail (download the whole stdout.txt, keep the last lines).
import { performance } from 'node:perf_hooks';
import { ShareFileClient } from '@azure/storage-file-share';
import type { readTail } from '../shared/storage/file-tail';
import { cardText, SUB, WS, startBotStack, type BotStack } from '../local/harness/bot-stack';
import { percentile } from './measure';
import { record } from './report';

const RUNS = 60;
const WARMUP = 5;
/** A stdout.txt of ~1.9 MB: big enough that downloading it all shows, small enough to make quickly. */
const CHATTY = {
  description: 'Prints 200,000 numbered lines.',
  properties: {
    nodeCount: 1,
    customToolkitSettings: { commandLine: 'seq 1 200000' },
    stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
  },
};

const naiveTail: typeof readTail = async (url, _size, { maxLines }) => {
  const body = (await new ShareFileClient(url).download()).readableStreamBody;
  const chunks: Buffer[] = [];
  for await (const c of body!) chunks.push(c as Buffer);
  const all = Buffer.concat(chunks);
  const lines = all.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return { lines: lines.slice(-maxLines), truncated: lines.length > maxLines, bytesRead: all.length };
};

async function latencies(stack: BotStack, conversationId: string, text: string, expect: RegExp): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t0 = performance.now();
    const reply = await stack.say(conversationId, text);
    const ms = performance.now() - t0;
    if (!expect.test(cardText(reply)))
      throw new Error(`"${text}" answered unexpectedly: ${cardText(reply).slice(0, 300)}`);
    if (i >= WARMUP) times.push(ms);
  }
  return times.sort((a, b) => a - b);
}

export async function benchChatLatency(): Promise<void> {
  const stack = await startBotStack();
  try {
    await stack.engine.seedFinishedJobs({ ...WS, subscriptionId: SUB, experiment: 'exp' }, 200, { cluster: 'gpu' });
    await stack.services.deps.stores.templates.put('chatty', CHATTY);
    const c = 'bench-chat';
    const submitted = await stack.say(c, 'submit chatty --name chatty-1');
    await stack.channel.waitFor(c, (a) => a.id === submitted.id && /Finished/.test(cardText(a)), 60_000);

    const commands: Array<[string, RegExp]> = [
      ['clusters', /gpu/],
      ['jobs', /chatty-1|\d+ more/],
      ['job chatty-1', /chatty-1/],
      ['logs chatty-1', /200000/],
    ];
    for (const [text, expect] of commands) {
      const t = await latencies(stack, c, text, expect);
      const verb = text.split(' ')[0];
      if (verb === 'logs') {
        const port = stack.services.deps.compute;
        const ranged = port.readTail;
        port.readTail = (_ref, f, o) => naiveTail(f.url ?? '', f.size ?? 0, o);
        const naive = await latencies(stack, c, text, expect);
        port.readTail = ranged;
        record({
          name: `chat ${verb} (1.9 MB stdout): p50`,
          value: percentile(t, 50),
          unit: 'ms',
          naive: percentile(naive, 50),
          note: 'goal ≤ 100; naive = whole-file download',
        });
        record({
          name: `chat ${verb} (1.9 MB stdout): p99`,
          value: percentile(t, 99),
          unit: 'ms',
          naive: percentile(naive, 99),
          note: 'goal ≤ 300',
        });
      } else {
        record({ name: `chat ${verb}: p50`, value: percentile(t, 50), unit: 'ms', note: 'goal ≤ 100' });
        record({ name: `chat ${verb}: p99`, value: percentile(t, 99), unit: 'ms', note: 'goal ≤ 300' });
      }
    }
  } finally {
    await stack.stop();
  }
}
