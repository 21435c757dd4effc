// The bot over HTTP: activities POSTed to the `messages` function (real CloudAdapter), commands run against
// the REAL engine (jobs run as processes), state in REAL Azurite, replies arriving at a fake channel.
import type { Activity } from 'botbuilder';
import { validateAdaptiveCard } from '../../cards/validate';
import {
  buttonCommands,
  cardOf,
  cardText,
  message,
  startBotStack,
  SUB,
  WS,
  type BotStack,
} from '../../local/harness/bot-stack';
import { useStarted } from '../support/use-started';

const SECRET = 's3cr3t-never-on-a-card';
let stack: BotStack;
const conversations = new Set<string>();
const invokeBodies: unknown[] = [];
let n = 0;

function conv(): string {
  const id = `conv-${++n}`;
  conversations.add(id);
  return id;
}

const say = (c: string, text: string, extra?: Partial<Activity>) => stack.say(c, text, extra);

const started = useStarted(
  'bot stack',
  () => startBotStack(),
  (s) => s.stop(),
);

beforeAll(async () => {
  stack = started.current;
  await stack.services.deps.stores.templates.put('secret-echo', {
    description: 'Uses a secret without printing it.',
    properties: {
      nodeCount: 1,
      customToolkitSettings: { commandLine: 'echo "token has ${#API_TOKEN} characters"' },
      secrets: [{ name: 'API_TOKEN', value: SECRET }],
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
    },
  });
}, 60_000);

test('help answers with the command list card, and saves the conversation reference on first contact', async () => {
  const c = conv();
  const reply = await say(c, 'help');
  expect(cardText(reply)).toMatch(/submit <template>/);
  const saved = await stack.services.deps.stores.conversations.get(c);
  expect(saved).toMatchObject({ conversationId: c, serviceUrl: stack.channel.serviceUrl });
});

test('Teams: the bot mention is stripped before parsing', async () => {
  const c = conv();
  const reply = await say(c, '<at>ChatOps</at> clusters', {
    channelId: 'msteams',
    entities: [{ type: 'mention', mentioned: { id: 'bot', name: 'ChatOps' }, text: '<at>ChatOps</at>' }],
  });
  expect(cardText(reply)).toMatch(/gpu/);
  expect(cardText(reply)).not.toMatch(/Not understood/);
  // A bare mention is a greeting: it gets the help card, not "Empty message".
  const bare = await say(c, '<at>ChatOps</at>', { channelId: 'msteams' });
  expect(cardText(bare)).toMatch(/submit <template>/);
});

test('malformed input gets a usage card naming the closest command', async () => {
  const c = conv();
  const typo = await say(c, 'submti hello');
  expect(cardText(typo)).toMatch(/submit <template>/);
  expect(buttonCommands(typo)).toContain('help submit');
  const missingArg = await say(c, 'logs');
  expect(cardText(missingArg)).toMatch(/logs <job>/);
});

test('an unknown job: "not found" listing the jobs that exist; an unknown cluster lists clusters', async () => {
  const c = conv();
  await stack.engine.seedFinishedJobs({ ...WS, subscriptionId: SUB, experiment: 'seeded' }, 3, { cluster: 'gpu' });
  const reply = await say(c, 'job seeded/nosuch');
  expect(cardText(reply)).toMatch(/Job nosuch not found in experiment seeded\. Jobs there: \S+, \S+, \S+\./);
  const cluster = await say(c, 'cluster cpu');
  expect(cardText(cluster)).toMatch(/Cluster cpu not found in workspace ws\. Clusters there: gpu\./);
  const submit = await say(c, 'submit hello --cluster cpu --name never-one');
  expect(cardText(submit)).toMatch(/Cluster cpu not found in workspace ws\. Clusters there: gpu\./);
  const experiment = await say(c, 'jobs nosuchexp');
  expect(cardText(experiment)).toMatch(/Experiment nosuchexp not found in workspace ws\. Experiments there: .*seeded/);
});

test('bad template values are refused before anything is sent', async () => {
  const c = conv();
  const reply = await say(c, 'submit hello seconds=999 --name refused-one');
  expect(cardText(reply)).toMatch(/seconds/);
  const jobs = await say(c, 'jobs');
  expect(cardText(jobs)).not.toMatch(/refused-one/);
});

test('Teams Action.Execute: the invoke response is the working card; the answer follows', async () => {
  const c = conv();
  const res = await stack.post(
    message(c, '', stack.channel.serviceUrl, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      channelId: 'msteams',
      value: { action: { type: 'Action.Execute', verb: 'command', data: { command: 'clusters' } } },
    }),
  );
  expect(res.status).toBe(200);
  invokeBodies.push(res.jsonBody);
  const body = res.jsonBody as { statusCode: number; type: string; value: Record<string, unknown> };
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  expect(validateAdaptiveCard(body.value)).toEqual([]);
  expect(JSON.stringify(body.value)).toMatch(/Working/);
  // No clicked card to update (no replyToId): the answer comes as a new message.
  await stack.channel.waitFor(c, (a) => /gpu/.test(cardText(a)));
});

test('dry run shows the exact request with secrets masked, and sends nothing', async () => {
  const c = conv();
  const dry = await say(c, 'submit secret-echo --name dry-one --dry-run');
  const text = cardText(dry);
  expect(text).toMatch(/PUT \/subscriptions\/.*\/experiments\/exp\/jobs\/dry-one\?api-version=2018-05-01/);
  expect(text).toMatch(/API_TOKEN/);
  expect(text).not.toContain(SECRET);
  const real = await say(c, 'submit secret-echo --name secret-one');
  await stack.channel.waitFor(c, (a) => a.id === real.id && /Finished/.test(cardText(a)), 20_000);
  const logs = await say(c, 'logs secret-one');
  expect(cardText(logs)).toMatch(/token has 22 characters/);
});

test('Slack: the <@U…> mention is stripped and the reply is Block Kit in channelData', async () => {
  const c = conv();
  const reply = await say(c, '<@U0BOT> templates', { channelId: 'slack' });
  const blocks = (reply.channelData as { blocks?: unknown[] } | undefined)?.blocks;
  expect(Array.isArray(blocks) && blocks.length).toBeGreaterThan(0);
  expect(JSON.stringify(blocks)).toMatch(/hello/);
  expect(JSON.stringify(blocks)).toMatch(/secret-echo/);
  // Pressing one of those buttons: Slack's block_actions payload, as the Slack channel forwards it.
  const button = JSON.stringify(blocks).match(/"value":"(template hello)"/);
  expect(button).not.toBeNull();
  const pressed = await say(c, '', {
    channelId: 'slack',
    channelData: { Payload: { type: 'block_actions', actions: [{ type: 'button', value: button![1] }] } },
  });
  expect(JSON.stringify((pressed.channelData as { blocks?: unknown[] }).blocks)).toMatch(/Template hello/);
});

test('Teams Action.Execute on a long operation: invoke answers at once, clicked card updated in place', async () => {
  const c = conv();
  const res = await stack.post(
    message(c, '', stack.channel.serviceUrl, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      channelId: 'msteams',
      replyToId: 'card-7',
      value: {
        action: {
          type: 'Action.Execute',
          verb: 'command',
          data: { command: 'submit hello seconds=0 --name teams-one' },
        },
      },
    }),
  );
  invokeBodies.push(res.jsonBody);
  expect(JSON.stringify(res.jsonBody)).toMatch(/Working/);
  const updated = await stack.channel.waitFor(c, (a) => a.id === 'card-7' && /Finished/.test(cardText(a)), 20_000);
  expect(JSON.stringify(updated)).toMatch(/Action\.Execute/);
});

test('use, subscribe, subscriptions, unsubscribe, templates, jobs --state', async () => {
  const c = conv();
  expect(cardText(await say(c, 'use experiment seeded'))).toMatch(/now use experiment seeded/);
  expect(cardText(await say(c, 'jobs --state succeeded'))).toMatch(/Succeeded jobs in seeded/);
  expect(cardText(await say(c, 'use workspace nowhere'))).toMatch(
    /Workspace nowhere is not one this bot manages\. Workspaces: ws\./,
  );
  const sub = await say(c, 'subscribe --mine --states succeeded,failed');
  const id = /unsubscribe (\S+)/.exec(buttonCommands(sub).join(' '))?.[1];
  expect(id).toBeDefined();
  const [stored] = await stack.services.deps.stores.subscriptions.list(c);
  expect(stored.filter).toMatchObject({ workspace: 'ws', submittedBy: 'user-ada', states: ['succeeded', 'failed'] });
  expect(cardText(await say(c, 'subscriptions'))).toContain(id!);
  expect(cardText(await say(c, `unsubscribe ${id}`))).toMatch(/Removed 1 subscription\./);
  expect(await stack.services.deps.stores.subscriptions.list(c)).toEqual([]);
  expect(cardText(await say(c, 'approve 7c1e'))).toMatch(/No approval request 7c1e/);
  expect(cardText(await say(c, 'template nosuch'))).toMatch(/Template nosuch not found\. Templates: .*hello/);
});

test('every card reply validates with zero errors, and no template secret appears in any reply', () => {
  let cards = 0;
  const all: unknown[] = [...invokeBodies];
  for (const c of conversations) {
    for (const a of stack.channel.activities(c)) {
      all.push(a);
      const card = cardOf(a);
      if (!card) continue;
      cards++;
      expect({ id: a.id, errors: validateAdaptiveCard(card) }).toEqual({ id: a.id, errors: [] });
    }
  }
  expect(cards).toBeGreaterThan(15);
  expect(JSON.stringify(all)).not.toContain(SECRET);
  expect(stack.logLines.join('\n')).not.toContain(SECRET);
});
