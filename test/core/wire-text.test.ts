// Text from the wire is checked by field: a lone surrogate or an unprintable id gets a 400 naming the field.
import { parseSlackBody } from '../../bot/slack/body';
import { InputError } from '../../shared/errors';
import { idFieldsProblem, malformedTextAt } from '../../shared/core/wire-text';

describe('malformedTextAt names the first string that is not well-formed UTF-16', () => {
  test.each([
    [{ a: 'ok', b: { c: ['x', 'y\ud800'] } }, 'b.c[1]'],
    [{ 'k\udfff': 1 }, 'k\udfff'],
    ['\udc00', '(the body)'],
  ])('%j → %s', (v, path) => {
    expect(malformedTextAt(v)).toBe(path);
  });

  test('a well-formed pair (an emoji) and plain text pass', () => {
    expect(malformedTextAt({ text: 'ship it 🚀', n: 1, z: null })).toBeUndefined();
  });
});

test('idFieldsProblem: absent passes; a number, a control character or 1,025 characters do not', () => {
  expect(idFieldsProblem({}, ['from.id'])).toBeUndefined();
  expect(idFieldsProblem({ from: { id: 1 } }, ['from.id'])).toBe('whose "from.id" is a string');
  expect(idFieldsProblem({ from: { id: 'a\tb' } }, ['from.id'])).toMatch(/"from.id" is at most 1,024 printable/);
  expect(idFieldsProblem({ from: { id: 'a'.repeat(1025) } }, ['from.id'])).toMatch(/1,024/);
});

describe('a Slack request with a malformed field is refused naming it', () => {
  const refused = (raw: string, contentType: string) => {
    try {
      parseSlackBody(raw, contentType);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  test.each([
    [JSON.stringify({ type: 'event_callback', event: { channel: 'C1\ud800' } }), '"event.channel" as well-formed'],
    [JSON.stringify({ type: 'event_callback', event_id: 'E\u0000' }), '"event_id" is at most'],
    [JSON.stringify({ type: 'event_callback', team_id: 5 }), '"team_id" is a string'],
  ])('event %s', (raw, words) => {
    expect(refused(raw, 'application/json')).toContain(words);
  });

  test('a slash command whose user_id holds a NUL (a form decodes bad UTF-8 to U+FFFD, never to a surrogate)', () => {
    expect(refused('command=%2Fbatchai&user_id=U%00', 'application/x-www-form-urlencoded')).toContain(
      '"user_id" is at most 1,024 printable',
    );
  });

  test('an ordinary event passes', () => {
    const body = { type: 'event_callback', event_id: 'Ev1', team_id: 'T1', event: { channel: 'D1', text: 'hi 🚀' } };
    expect(parseSlackBody(JSON.stringify(body), 'application/json')).toEqual(body);
  });
});
