// A tail line loses what a terminal would act on before it is masked: a secret split by a colour code, a
// carriage return or a backspace is whole again, and masked.
import { maskPrinted, secretPrints } from '../../shared/core/secret-prints';
import { stripControls } from '../../shared/core/terminal-text';

const p = secretPrints(['abcdef'])!;
const shown = (line: string) => maskPrinted(stripControls(line), p);

test.each([
  ['a colour reset', 'abc\x1b[0mdef'],
  ['a 256-colour CSI', 'abc\x1b[38;5;196mdef'],
  ['an 8-bit CSI', 'abc\x9b1;2Hdef'],
  ['an OSC title ended by BEL', 'abc\x1b]0;title\x07def'],
  ['an OSC hyperlink ended by ESC \\', 'abc\x1b]8;;http://x\x1b\\def'],
  ['a carriage return', 'abc\rdef'],
  ['a backspace', 'abc\bdef'],
  ['a NUL and a DEL', 'abc\x00\x7fdef'],
  ['a two-character escape', 'abc\x1b7def'],
  ['a cursor move split over the secret twice', 'a\x1b[1Cbc\x1b[Kd\x1b[2Jef'],
])('%s: masked', (_what, line) => {
  expect(shown(`key=${line}!`)).toBe('key=***!');
});

test('tabs and ordinary text stay; an unterminated OSC ends at the line end', () => {
  expect(stripControls('a\tb c')).toBe('a\tb c');
  expect(stripControls('ok \x1b]0;never ended')).toBe('ok ');
  expect(stripControls('\x1b[31mred\x1b[0m plain')).toBe('red plain');
});

test('linear: a long line of escapes is stripped at once', () => {
  const line = '\x1b['.repeat(100_000) + '\x1b]'.repeat(100_000);
  const started = process.hrtime.bigint();
  expect(stripControls(line)).toBe('');
  // A backtracking pattern would take seconds here; the bound is far above the linear time.
  expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2_000);
});
