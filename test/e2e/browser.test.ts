// The whole local stack in one process (Azurite, the engine, the functions host with the real definitions,
// the chat) and a person in Chromium: help → card; subscribe; submit hello → job card; Refresh and Logs
// buttons; the completion alert arrives with the stdout tail; a Slack view's training card shows its chart image.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startLocalStack, type LocalStack } from '../../local/start';
import { useStarted } from '../support/use-started';
import { haveChromium, launch } from './browser';

const suite = haveChromium ? describe : describe.skip;

suite('the local product in a browser', () => {
  let dataDir = '';
  const logs: string[] = [];
  const started = useStarted(
    'local stack',
    () =>
      startLocalStack({
        dataDir: (dataDir = mkdtempSync(join(tmpdir(), 'e2e-'))),
        pollSeconds: 1,
        azuriteInMemory: true,
        log: (l) => logs.push(l),
        engineTiming: { allocationDelayMs: 200, operationDelayMs: 50, schedulerIntervalMs: 100 },
      }),
    async (stack) => {
      // The host's failures explain a failing step (a passing run stays quiet); the stop's own noise is not one.
      const failures = logs.filter((l) => / failed|error:/i.test(l));
      if (failures.length > 0) console.log(failures.join('\n'));
      await stack.stop();
    },
  );
  let stack: LocalStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = started.current;
    browser = await launch();
    page = await browser.newPage();
    await page.goto(`${stack.urls.chat}/#conversation=e2e&user=ann`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const send = async (text: string) => {
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
  };
  const bot = (hasText: string | RegExp) => page.locator('.activity.bot', { hasText });

  it('answers help with a card', async () => {
    await send('help');
    const card = bot('submit').locator('.ac-adaptiveCard');
    await card.first().waitFor({ timeout: 15_000 });
    expect(await card.first().textContent()).toMatch(/subscribe/);
  });

  it('runs a job from the page: submit, Refresh, the completion alert, Logs', async () => {
    await send('subscribe');
    await bot(/Subscribed/)
      .first()
      .waitFor({ timeout: 15_000 });

    await send('submit hello seconds=1');
    const jobCard = page.locator('.activity.bot:not(.alert)', { hasText: /Job default\/hello-/ }).first();
    await jobCard.locator('.ac-adaptiveCard').waitFor({ timeout: 15_000 });
    const jobName = /Job default\/(hello-[\w-]+)/.exec((await jobCard.textContent()) ?? '')?.[1];
    expect(jobName).toBeDefined();

    const before = await page.locator('.activity.bot').count();
    await jobCard.getByRole('button', { name: 'Refresh' }).click();
    await page
      .locator('.activity.user', { hasText: new RegExp(`▸ job \\S*${jobName}`) })
      .first()
      .waitFor({ timeout: 10_000 });
    await page.waitForFunction((n) => document.querySelectorAll('.activity.bot').length > n, before, {
      timeout: 10_000,
    });

    // The alert: sent by the notify function through the stored conversation reference, with the stdout tail.
    const alert = page.locator('.activity.alert', { hasText: jobName! }).filter({ hasText: /succeeded/i });
    await alert.first().waitFor({ timeout: 30_000 });
    expect(await alert.first().textContent()).toContain(`hello from ${jobName}`);
    // Markdown rendered as Teams renders it: the output is a link named by its file, and no raw syntax shows.
    const stdoutLink = alert.first().locator('.ac-adaptiveCard a', { hasText: /^stdout\.txt$/ });
    expect(await stdoutLink.getAttribute('href')).toMatch(new RegExp(`^${stack.urls.files}/.*/stdout\\.txt\\?.*sig=`));
    const shown = (await alert.first().locator('.ac-adaptiveCard').textContent()) ?? '';
    expect(shown).not.toContain('**');
    expect(shown).not.toContain('](http');
    expect(shown).not.toMatch(/\\[<>{}[\]_*-]/);

    await page.locator('.activity.bot', { hasText: jobName! }).first().getByRole('button', { name: 'Logs' }).click();
    await page
      .locator('.activity.user', { hasText: new RegExp(`▸ logs \\S*${jobName}`) })
      .first()
      .waitFor({ timeout: 10_000 });
    const logsReply = page.locator('.activity.bot:not(.alert)', { hasText: 'line 3' }).last();
    await logsReply.waitFor({ timeout: 10_000 });
    expect(await logsReply.textContent()).toContain('done');
  }, 60_000);

  it("renders the template card's JSON as written, in the dark Teams theme", async () => {
    await page.selectOption('#theme', 'dark');
    await send('template hello');
    // A case-sensitive title: the help card (already on the page) says "e.g. template hello", which a plain
    // string would match too, and reading it before the template card arrived was a race.
    const card = bot(/Template hello/)
      .locator('.ac-adaptiveCard')
      .last();
    await card.waitFor({ timeout: 15_000 });
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('"customToolkitSettings": {');
    expect(text).not.toMatch(/\\[{}<>]/);
    // The dark host config's default container background (#2d2c2c), as Teams dark shows it.
    expect(await card.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(45, 44, 44)');
    await page.selectOption('#theme', 'light');
  }, 30_000);

  it('shows a Slack conversation as Block Kit, whose buttons send their command', async () => {
    await page.goto(`${stack.urls.chat}/#conversation=e2e-slack&user=ann&channel=slack&theme=light`);
    await send('template hello');
    const message = page.locator('.activity.bot .sk-message').last();
    await message.locator('.sk-header', { hasText: 'Template hello' }).waitFor({ timeout: 15_000 });
    expect(await message.locator('.sk-code').first().textContent()).toContain('"customToolkitSettings": {');
    await message.getByRole('button', { name: 'Dry run' }).click();
    const dryRun = page.locator('.activity.bot .sk-message', { hasText: 'Dry run: submit hello' }).last();
    await dryRun.waitFor({ timeout: 15_000 });
    expect(await dryRun.locator('.sk-code').first().textContent()).toMatch(/^PUT \/subscriptions\//);
    expect(await page.locator('.ac-adaptiveCard').count()).toBe(0);
  }, 30_000);

  it("shows a training job's loss chart as an image in the Slack view (a blob link, as Bot Service's)", async () => {
    await page.goto(`${stack.urls.chat}/#conversation=e2e-slack-chart&user=ann&channel=slack&theme=light`);
    await send('submit train-progress epochs=1 steps=20 stepSeconds=0.5 --name page-chart');
    // The submit's answer, not the last message naming the job: the completion alert names it too, and may come
    // before the card's last update.
    const card = page.locator('.activity.bot .sk-message', { hasText: 'page-chart' }).first();
    // The progress timer (5 s here) updates the card while it runs; the follow-up gives it its final form.
    const image = card.locator('img.sk-image');
    await image.waitFor({ timeout: 40_000 });
    expect(await image.getAttribute('src')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/chart-images\/.*\?.*sig=/,
    );
    // The browser fetched the PNG from Azurite and drew it at its size. Queried afresh each time: the card is
    // replaced in place on every update, so an element held from before may never load.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLImageElement>('.activity.bot .sk-message img.sk-image')].some(
          (img) => img.complete && img.naturalWidth === 640,
        ),
      undefined,
      { timeout: 20_000 },
    );
    expect(await image.getAttribute('alt')).toMatch(/^loss [\d.]+ → [\d.]+ over steps/);
  }, 60_000);
});
