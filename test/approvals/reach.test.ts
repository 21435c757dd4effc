// Where to tell a person (core/reach.ts): personal first, never the requester, never twice into a conversation.
import { planCards, whereToTell, type KnownConversations } from '../../shared/core/reach';

test('a personal conversation wins over a channel; a channel is the fallback; nothing known is nowhere', () => {
  expect(whereToTell({ personal: 'dm', channel: 'ch' })).toBe('dm');
  expect(whereToTell({ channel: 'ch' })).toBe('ch');
  expect(whereToTell({})).toBeUndefined();
});

test('the plan skips the requester and asking conversation, sends once per conversation, lists the unreachable', () => {
  const known = new Map<string, KnownConversations>([
    ['ada', { personal: 'dm-ada' }],
    ['bob', { personal: 'dm-bob', channel: 'team' }],
    ['carol', { channel: 'team' }],
    ['dan', { channel: 'team' }],
    ['erin', { channel: 'asked-here' }],
  ]);
  const plan = planCards(['ada', 'bob', 'carol', 'dan', 'erin', 'frank'], 'ada', 'asked-here', known);
  expect(plan.send).toEqual([
    { userId: 'bob', conversationId: 'dm-bob' },
    { userId: 'carol', conversationId: 'team' },
  ]);
  expect(plan.unreachable).toEqual(['frank']);
});
