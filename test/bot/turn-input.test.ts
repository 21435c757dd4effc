// Where a turn's command text comes from: typed text (mentions of the bot removed), card buttons, Teams invokes.
import { executeCommand, messageCommand, stripMentions } from '../../bot/botframework/turn-input';

const bot = { id: '28:bot-id', name: 'ChatOps' };

test('Teams: the <at> mention of the bot (named by a mention entity) is removed', () => {
  const text = stripMentions({
    text: '<at>ChatOps</at> logs job7 --lines 5',
    recipient: bot,
    entities: [{ type: 'mention', mentioned: bot, text: '<at>ChatOps</at>' }],
  });
  expect(text).toBe('logs job7 --lines 5');
});

test('Teams: a mention of someone else in the middle is kept; a leading one is dropped without entities', () => {
  expect(stripMentions({ text: 'subscribe <at>Ada</at>', recipient: bot, entities: [] })).toBe(
    'subscribe <at>Ada</at>',
  );
  expect(stripMentions({ text: '<at>ChatOps</at>&nbsp;clusters', recipient: bot })).toBe('clusters');
});

test('Slack: leading <@U123> and <@U123|name> mentions are removed', () => {
  expect(stripMentions({ text: '<@U0BOT1> jobs --mine', recipient: bot })).toBe('jobs --mine');
  expect(stripMentions({ text: '  <@U0BOT1|chatops>   job  exp/j1 ', recipient: bot })).toBe('job exp/j1');
});

test('a card button (Action.Submit value.command) wins over the text', () => {
  expect(messageCommand({ text: 'ignored', value: { command: 'terminate exp/j1 --yes' }, recipient: bot })).toBe(
    'terminate exp/j1 --yes',
  );
  expect(messageCommand({ text: '<at>ChatOps</at> help', value: { other: 1 }, recipient: bot })).toBe('help');
});

test('Action.Execute: only verb "command" with a string data.command counts', () => {
  expect(executeCommand({ action: { type: 'Action.Execute', verb: 'command', data: { command: 'job j1' } } })).toBe(
    'job j1',
  );
  expect(
    executeCommand({ action: { type: 'Action.Execute', verb: 'other', data: { command: 'job j1' } } }),
  ).toBeUndefined();
  expect(executeCommand({ action: { verb: 'command', data: { command: 7 } } })).toBeUndefined();
  expect(executeCommand(undefined)).toBeUndefined();
});

test('Slack: a Block Kit button press (channelData.Payload.actions[0].value) arrives as its command', () => {
  const payload = { type: 'block_actions', actions: [{ action_id: 'a1', type: 'button', value: 'logs exp/j1' }] };
  expect(messageCommand({ text: '', channelData: { Payload: payload }, recipient: bot })).toBe('logs exp/j1');
  // Not a button press: the typed text.
  expect(messageCommand({ text: '<@U0BOT1> clusters', channelData: { SlackMessage: {} }, recipient: bot })).toBe(
    'clusters',
  );
  expect(messageCommand({ text: 'help', channelData: { Payload: { actions: [{ value: 3 }] } }, recipient: bot })).toBe(
    'help',
  );
});

test('odd shapes are ignored, not a crash: non-string text, null entities, a null Slack action', () => {
  expect(stripMentions({ text: 42 as unknown as string, recipient: bot })).toBe('');
  expect(
    stripMentions({
      text: 'help',
      entities: [null as never, { type: 'mention', mentioned: null } as never],
      recipient: bot,
    }),
  ).toBe('help');
  expect(messageCommand({ text: 'help', channelData: { Payload: { actions: [null] } }, recipient: bot })).toBe('help');
  expect(messageCommand({ text: 'help', channelData: { Payload: null }, recipient: bot })).toBe('help');
  expect(executeCommand({ action: null })).toBeUndefined();
  expect(executeCommand(null)).toBeUndefined();
});
