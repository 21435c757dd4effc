// The local chat page in Chromium against the chat server and a real botbuilder bot: cards rendered by the
// adaptivecards browser bundle, buttons sending their command back, a card updated in place, alerts arriving,
// history kept across a reload.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { renderAdaptive } from '../../cards/adaptive';
import { startChatServer, type ChatServer } from '../../local/chat/server';
import { startEchoBot } from '../local/support/echo-bot';
import { haveChromium, launch } from './browser';

const suite = haveChromium ? describe : describe.skip;

suite('chat page', () => {
  let dataDir: string;
  let bot: Awaited<ReturnType<typeof startEchoBot>>;
  let chat: ChatServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'chat-page-'));
    bot = await startEchoBot();
    chat = await startChatServer({ dataDir, port: 0, botUrl: bot.url, log: () => undefined });
    browser = await launch();
    page = await browser.newPage();
    await page.goto(`${chat.url}/#conversation=page1&user=ann`);
  });
  afterAll(async () => {
    await browser?.close();
    await chat?.stop();
    await bot?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const send = async (text: string) => {
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
  };

  it("renders the bot's Adaptive Card and sends a button press back as its command", async () => {
    await send('card');
    const card = page.locator('.activity.bot .ac-adaptiveCard').last();
    await card.getByText('Job job7').waitFor();
    expect(await card.textContent()).toMatch(/State\s*running/);
    await card.getByRole('button', { name: 'Logs' }).click();
    await page.locator('.activity.bot', { hasText: 'pressed logs job7' }).waitFor();
    // The press shows as the user's message with its command.
    await page.locator('.activity.user', { hasText: '▸ logs job7' }).waitFor();
    // Beside each message, how long the bot took to acknowledge it and to answer (the chat server measures).
    await page
      .locator('.activity.user .timing', { hasText: /ack \d+ ms · answer \d+ ms/ })
      .first()
      .waitFor();
  });

  it('updates a card in place', async () => {
    await send('slow card');
    const updated = page.locator('.activity.bot.updated .ac-adaptiveCard');
    await updated.getByText('succeeded').waitFor();
    expect(await page.locator('.activity.bot .ac-adaptiveCard', { hasText: 'queued' }).count()).toBe(0);
    expect(await page.locator('.activity.bot .ac-adaptiveCard').count()).toBe(2);
  });

  it('shows an alert that arrives while the page is open, and keeps the history across a reload', async () => {
    await fetch(`${chat.url}/v3/conversations/page1/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'job7 succeeded in 3 s' }),
    });
    await page.locator('.activity.alert', { hasText: 'job7 succeeded in 3 s' }).waitFor();
    await page.reload();
    await page.locator('.activity.alert', { hasText: 'job7 succeeded in 3 s' }).waitFor();
    expect(await page.locator('.activity.bot .ac-adaptiveCard').count()).toBe(2);
    expect(await page.inputValue('#conversation')).toBe('page1');
  });

  it("draws a card's Chart.Line (Teams' chart element) as a line", async () => {
    const points = Array.from({ length: 20 }, (_, i) => ({ x: i + 1, y: 2 / (i + 1) }));
    const card = renderAdaptive({
      kind: 'job',
      job: {
        workspace: 'ws',
        experiment: 'exp',
        name: 'tp',
        state: 'succeeded',
        cluster: 'gpu',
        nodeCount: 1,
        errors: [],
      },
      tails: [],
      outputs: [],
      actions: [],
      progress: { metrics: [{ name: 'loss', value: 0.1 }], chart: { metric: 'loss', points } },
    });
    await fetch(`${chat.url}/v3/conversations/page1/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
      }),
    });
    const chart = page.locator('.activity.alert .ac-chart-line').last();
    await chart.waitFor();
    expect(await chart.locator('polyline').getAttribute('points')).toMatch(/^(\d+\.\d,\d+\.\d ?){20}$/);
    expect(await chart.textContent()).toMatch(/loss over steps/);
  });
});
