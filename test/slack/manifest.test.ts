// infra/slack/manifest.json against the rules of Slack's app manifest schema (v1) that an import enforces,
// and against the app itself: the events and the slash command it handles, the scopes those need and the
// scopes the sender needs, and one request URL (the `slack` function) for events, the command and buttons.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HANDLED_EVENTS, SLASH_COMMAND } from '../../bot/slack/listeners';

type Json = Record<string, any>;
const manifest = JSON.parse(readFileSync(join(__dirname, '../../infra/slack/manifest.json'), 'utf8')) as Json;

/** The problems Slack's manifest import would report for `m` (the subset of its schema this app uses). */
function manifestProblems(m: Json): string[] {
  const p: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) p.push(what);
  };
  const https = (u: unknown) => typeof u === 'string' && /^https:\/\/[^\s/]+\/\S*$/.test(u);
  const known = [
    '_metadata',
    'display_information',
    'features',
    'oauth_config',
    'settings',
    'functions',
    'workflows',
    'outgoing_domains',
    'types',
    'datastores',
  ];
  Object.keys(m).forEach((k) => need(known.includes(k), `unknown top-level key ${k}`));
  need(m._metadata?.major_version === 1 || m._metadata?.major_version === 2, '_metadata.major_version is 1 or 2');
  const d = m.display_information ?? {};
  need(
    typeof d.name === 'string' && d.name.length >= 1 && d.name.length <= 35,
    'display_information.name: 1-35 characters',
  );
  need(
    d.description === undefined || (typeof d.description === 'string' && d.description.length <= 140),
    'display_information.description: ≤ 140 characters',
  );
  need(
    d.long_description === undefined || (d.long_description.length >= 175 && d.long_description.length <= 4000),
    'display_information.long_description: 175-4000 characters',
  );
  need(
    d.background_color === undefined || /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(d.background_color),
    'display_information.background_color: #RGB or #RRGGBB',
  );
  const bot = m.features?.bot_user;
  need(bot !== undefined, 'features.bot_user: a bot token needs a bot user');
  need(
    typeof bot?.display_name === 'string' &&
      bot.display_name.length <= 80 &&
      /^[a-z0-9][a-z0-9._-]*$/.test(bot.display_name),
    'bot_user.display_name: ≤ 80 of a-z 0-9 . _ -',
  );
  const scopes: string[] = m.oauth_config?.scopes?.bot ?? [];
  need(new Set(scopes).size === scopes.length, 'oauth_config.scopes.bot: no duplicates');
  for (const c of m.features?.slash_commands ?? []) {
    need(/^\/[a-z0-9_-]{1,31}$/.test(c.command), `slash command ${c.command}: "/" and ≤ 31 of a-z 0-9 _ -`);
    need(https(c.url), `slash command ${c.command}: url is https`);
    need(
      typeof c.description === 'string' && c.description.length >= 1 && c.description.length <= 2000,
      `slash command ${c.command}: description 1-2000 characters`,
    );
    need(
      c.usage_hint === undefined || c.usage_hint.length <= 1000,
      `slash command ${c.command}: usage_hint ≤ 1000 characters`,
    );
  }
  need(!m.features?.slash_commands?.length || scopes.includes('commands'), 'slash commands need the `commands` scope');
  const ev = m.settings?.event_subscriptions;
  if (ev) {
    need(
      https(ev.request_url) || m.settings?.socket_mode_enabled === true,
      'event_subscriptions.request_url is https (without Socket Mode)',
    );
    // Each bot event needs its read scope.
    const scopeOf: Record<string, string> = {
      app_mention: 'app_mentions:read',
      'message.im': 'im:history',
      'message.channels': 'channels:history',
      'message.groups': 'groups:history',
      'message.mpim': 'mpim:history',
    };
    for (const e of ev.bot_events ?? [])
      need(
        scopeOf[e] !== undefined && scopes.includes(scopeOf[e]),
        `bot event ${e} needs scope ${scopeOf[e] ?? '(unknown event)'}`,
      );
  }
  const ia = m.settings?.interactivity;
  if (ia?.is_enabled)
    need(
      https(ia.request_url) || m.settings?.socket_mode_enabled === true,
      'interactivity.request_url is https (without Socket Mode)',
    );
  return p;
}

test("the manifest breaks none of Slack's manifest rules this app uses", () => {
  expect(manifestProblems(manifest)).toEqual([]);
});

test('the checks catch what Slack would refuse', () => {
  const broken = structuredClone(manifest);
  broken.display_information.name = 'A name far longer than thirty-five characters';
  broken.features.slash_commands[0].command = 'batchai';
  broken.oauth_config.scopes.bot = ['chat:write'];
  broken.settings.interactivity.request_url = 'http://insecure.example/api/slack/events';
  expect(manifestProblems(broken)).toEqual([
    'display_information.name: 1-35 characters',
    'slash command batchai: "/" and ≤ 31 of a-z 0-9 _ -',
    'slash commands need the `commands` scope',
    'bot event app_mention needs scope app_mentions:read',
    'bot event message.im needs scope im:history',
    'interactivity.request_url is https (without Socket Mode)',
  ]);
});

test('the manifest subscribes exactly what the app handles, at the `slack` function', () => {
  const url = manifest.settings.event_subscriptions.request_url as string;
  expect(new URL(url).pathname).toBe('/api/slack/events');
  expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: url });
  expect(manifest.features.slash_commands.map((c: Json) => [c.command, c.url])).toEqual([[SLASH_COMMAND, url]]);
  expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...HANDLED_EVENTS].sort());
  // The sender posts (chat:write), also in public channels it was not added to (chat:write.public).
  expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['chat:write', 'chat:write.public']));
  expect(manifest.settings.socket_mode_enabled).toBe(false);
});
