// How soon chat is acknowledged when the backend is slow: every engine answer a `submit` (the job's PUT) or a
// cluster listing (`clusters`, the slash command `/batchai clusters`) waits for makes waits BACKEND_DELAY_MS
// (the engine's fault injector, a real delay). Measured per request: the time to the HTTP acknowledgement (what
// Slack and Teams time out on: 3 s for Slack, 5 s for a Teams invoke) and to the answer (the card or message).
// - Slack: the local Slack (local/slack/) signs and delivers a DM `submit` and the slash command to the `slack`
//   function of the local stack as `npm start` runs it; the answer is the first post (or response_url) after.
// - Teams: Action.Execute invokes (`submit`, `clusters`) to the `messages` function (real CloudAdapter); the
//   answer is the clicked card's update in the fake channel.
// - Local chat (web chat messages): a message turn is answered inside its HTTP request (the Bot Framework way
//   for messages), so its acknowledgement waits for the backend: shown for contrast.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chatClient } from '../local/chat/client';
import { cardText, message, startBotStack } from '../local/harness/bot-stack';
import type { FaultInjector } from '../local/engine/index';
import { startLocalStack, type LocalStack } from '../local/start';
import { percentile } from './measure';
import { record } from './report';

const BACKEND_DELAY_MS = 10_000;
const RUNS = 3;
const SLOW = [
  { method: 'PUT', path: /\/jobs\/[^/]+$/ },
  { method: 'GET', path: /\/clusters$/ },
];

function slowBackend(faults: FaultInjector): void {
  for (const f of SLOW) faults.add({ ...f, delayMs: BACKEND_DELAY_MS, times: 1_000 });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `count()` grows past `before`; the real time it took from `t0`. */
async function until(t0: number, count: () => Promise<number>, before: number): Promise<number> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if ((await count()) > before) return performance.now() - t0;
    await pause(50);
  }
  throw new Error('no answer within 60 s');
}

interface Sample {
  ackMs: number;
  answerMs: number;
}

function report(channel: string, what: string, samples: Sample[]): void {
  const median = (k: keyof Sample) =>
    Math.round(
      percentile(
        samples.map((s) => s[k]).sort((a, b) => a - b),
        50,
      ),
    );
  const acks = samples.map((s) => Math.round(s.ackMs)).join(', ');
  record({
    name: `ack with a 10 s backend: ${channel} ${what}`,
    value: median('ackMs'),
    unit: 'ms',
    note: `median of ${samples.length} (${acks}); answer after ${median('answerMs')} ms`,
  });
}

async function slack(stack: LocalStack, n: number): Promise<void> {
  const base = stack.urls.slack;
  const answers = async (channel: string) => {
    const r = await fetch(`${base}/_local/history?channel=${channel}`);
    const h = (await r.json()) as { messages: Array<{ bot?: boolean }>; responses: unknown[] };
    return h.messages.filter((m) => m.bot).length + h.responses.length;
  };
  const say = async (channel: string, text: string): Promise<Sample> => {
    const before = await answers(channel);
    const t0 = performance.now();
    const res = await fetch(`${base}/_local/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ team: 'T0LOCAL', user: 'U0LOCAL', channel, text }),
    });
    const { app } = (await res.json()) as { app: { status: number; ackMs: number } };
    if (app.status !== 200) throw new Error(`the slack function answered ${app.status} to "${text}"`);
    return { ackMs: app.ackMs, answerMs: await until(t0, () => answers(channel), before) };
  };
  const submits: Sample[] = [];
  const slashes: Sample[] = [];
  for (let i = 0; i < n; i++) {
    submits.push(await say('D0BENCH', `submit hello seconds=0 --name ack-slack-${i}`));
    slashes.push(await say('C0BENCH', '/batchai clusters'));
  }
  report('Slack', 'DM submit', submits);
  report('Slack', 'slash command /batchai clusters', slashes);
}

async function localChat(stack: LocalStack, n: number): Promise<void> {
  const client = chatClient(stack.urls.chat);
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const sent = await client.send('ack-bench', { text: 'clusters', user: { id: 'ann', name: 'Ann' } });
    samples.push({ ackMs: sent.ackMs ?? Number.NaN, answerMs: sent.answerMs ?? Number.NaN });
  }
  report('local chat', 'message clusters (answered inside the request)', samples);
}

async function teams(n: number): Promise<void> {
  const stack = await startBotStack();
  try {
    slowBackend(stack.engine.faults);
    const invoke = async (command: string, card: string): Promise<Sample> => {
      const activity = message('ack-teams', '', stack.channel.serviceUrl, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        channelId: 'msteams',
        replyToId: card,
        value: { action: { type: 'Action.Execute', verb: 'command', data: { command } } },
      });
      const t0 = performance.now();
      const res = await stack.post(activity);
      const ackMs = performance.now() - t0;
      if (res.status !== 200) throw new Error(`the invoke "${command}" answered ${res.status}`);
      await stack.channel.waitFor('ack-teams', (a) => a.id === card && !/Working/.test(cardText(a)), 60_000);
      return { ackMs, answerMs: performance.now() - t0 };
    };
    const submits: Sample[] = [];
    const clusters: Sample[] = [];
    for (let i = 0; i < n; i++) {
      submits.push(await invoke(`submit hello seconds=0 --name ack-teams-${i}`, `card-s${i}`));
      clusters.push(await invoke('clusters', `card-c${i}`));
    }
    report('Teams', 'invoke submit', submits);
    report('Teams', 'invoke clusters', clusters);
  } finally {
    await stack.stop();
  }
}

export async function benchAck(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-ack-'));
  try {
    const stack = await startLocalStack({ dataDir, azuriteInMemory: true, log: () => undefined });
    try {
      slowBackend(stack.faults!);
      await slack(stack, RUNS);
      await localChat(stack, 1);
    } finally {
      await stack.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  await teams(RUNS);
}
