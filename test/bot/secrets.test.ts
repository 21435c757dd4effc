// Secrets masked by value where the product shows them, on the real stack (engine running the job, Azurite,
// CloudAdapter, fake channel): a job that prints its secret shows it masked on its card's tail and in `logs`;
// the audit row, the dry-run card and its buttons carry no secret; a refused over-long secret is not echoed.
import { buttonCommands, cardText, startBotStack, type BotStack } from '../../local/harness/bot-stack';

const SECRET = 'S3cr3t-token-4f9a';
let stack: BotStack;
beforeAll(async () => {
  stack = await startBotStack({ nodes: 1 });
  await stack.services.deps.stores.templates.put('leaky', {
    description: 'Prints its secret, as a careless job does.',
    parameters: [{ name: 'token', pattern: '.+', required: true }],
    properties: {
      nodeCount: 1,
      customToolkitSettings: { commandLine: 'echo "token=$API_TOKEN"; echo "twice:$API_TOKEN$API_TOKEN."' },
      secrets: [{ name: 'API_TOKEN', value: '{{token}}' }],
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
    },
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const say = (text: string) => stack.say('c-secrets', text);

test('a printed secret is masked on the card tail and in logs; the audit row masks the value', async () => {
  const reply = await say(`submit leaky token=${SECRET} --name leaky-1`);
  expect(cardText(reply)).toMatch(/Submitted/);
  const done = await stack.channel.waitFor(
    'c-secrets',
    (a) => a.id === reply.id && /Finished/.test(cardText(a)),
    30_000,
  );
  expect(cardText(done)).toContain('token=***');
  const logs = cardText(await say('logs leaky-1'));
  expect(logs).toContain('token=***');
  expect(logs).toContain('twice:***.');
  for (const text of [cardText(done), logs]) expect(text).not.toContain(SECRET.slice(0, 6));
  const rows = await stack.services.deps.stores.audit.latest(20);
  expect(rows.map((r) => r.command)).toContain('submit leaky token=*** --name leaky-1');
  expect(JSON.stringify(rows)).not.toContain(SECRET);
  // What the table keeps to mask later: prints, never the secret.
  const kept = await stack.services.deps.stores.submissions.get('ws', 'exp', 'leaky-1');
  expect(kept?.secrets?.prints).toHaveLength(1);
  expect(JSON.stringify(kept)).not.toContain(SECRET);
}, 60_000);

test('a tail cut inside a secret shows none of it (the window starts past its first characters)', async () => {
  await stack.services.deps.stores.templates.put('split', {
    parameters: [{ name: 'token', pattern: '.+', required: true }],
    properties: {
      nodeCount: 1,
      // The secret, then 4,090 bytes with no newline: a 4 KiB tail window starts inside the secret.
      customToolkitSettings: { commandLine: 'printf "%s" "$API_TOKEN"; head -c 4090 /dev/zero | tr "\\0" x' },
      secrets: [{ name: 'API_TOKEN', value: '{{token}}' }],
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
    },
  });
  const token = 'ABCDEFGHIJKLMNOPQRSTUVWX';
  const reply = await say(`submit split token=${token} --name split-1`);
  const done = await stack.channel.waitFor(
    'c-secrets',
    (a) => a.id === reply.id && /Finished/.test(cardText(a)),
    30_000,
  );
  const logs = cardText(await say('logs split-1'));
  for (const text of [cardText(done), logs]) {
    expect(text).toMatch(/xxxx/);
    for (let n = 3; n < token.length; n++) expect(text).not.toContain(token.slice(-n) + 'x');
  }
}, 60_000);

test('the dry-run card carries no secret, not even in a button', async () => {
  const dry = await say(`submit leaky token=${SECRET} --name leaky-dry --dry-run`);
  expect(JSON.stringify(dry)).not.toContain(SECRET);
  expect(buttonCommands(dry).some((b) => b.startsWith('submit'))).toBe(false);
  expect(cardText(dry)).toMatch(/send the command again without --dry-run/);
});

test('a refused over-long secret is not echoed', async () => {
  const long = `${SECRET}${'x'.repeat(2000)}`;
  const refused = await say(`submit leaky token=${long} --name leaky-long`);
  expect(cardText(refused)).toMatch(/at most 1000 characters, got 2017/);
  expect(JSON.stringify(refused)).not.toContain(SECRET.slice(0, 6));
});
