import { secretFieldValues } from '../../shared/core/redact';
import { maskPrinted, maskPrintedLines, secretPrints } from '../../shared/core/secret-prints';

describe('secrets masked by their prints', () => {
  const p = secretPrints(['S3cr3t-token', 'another-one', 'short'])!;

  test('the prints hold lengths and keyed hashes, never the secrets; short values are left out', () => {
    expect(p.prints.map((x) => x.length).sort()).toEqual([11, 12]);
    expect(JSON.stringify(p)).not.toMatch(/S3cr3t|another|short/);
  });

  test('every occurrence is masked, also glued to other text and overlapping; other text stays', () => {
    expect(maskPrinted('token=S3cr3t-token and another-one.', p)).toBe('token=*** and ***.');
    expect(maskPrinted('S3cr3t-tokenS3cr3t-token', p)).toBe('***');
    expect(maskPrinted('a short line with S3cr3t-toke', p)).toBe('a short line with S3cr3t-toke');
  });

  test('a secret printed split across lines is masked piece by piece; other lines stay', () => {
    // printf '%s\n%s\n' "${S:0:5}" "${S:5}", and a split over three lines, one of them empty.
    expect(maskPrintedLines(['before', 'S3cr3', 't-token', 'after'], p)).toEqual(['before', '***', '***', 'after']);
    expect(maskPrintedLines(['x=S3c', '', 'r3t-tok', 'en y'], p)).toEqual(['x=***', '', '***', '*** y']);
    expect(maskPrintedLines(['S3cr3', 'another-one'], p)).toEqual(['S3cr3', '***']);
    // Deliberate encodings are out of scope: reversed or upper-cased, it is not found.
    expect(maskPrintedLines(['nekot-t3rc3S', 'S3CR3T-TOKEN'], p)).toEqual(['nekot-t3rc3S', 'S3CR3T-TOKEN']);
  });

  test('nothing long enough to mask: no prints', () => {
    expect(secretPrints(['abc', 'xyz12'])).toBeUndefined();
  });

  test('the rolling hash picks the same windows as hashing each one (rows stored before it have no roll)', () => {
    const values = Array.from({ length: 8 }, (_, i) => `secret-${'x'.repeat(i * 7)}`);
    const many = secretPrints(values)!;
    const older = { ...many, prints: many.prints.map(({ roll: _roll, ...x }) => x) };
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let n = 0; n < 50; n++) {
      const parts = Array.from({ length: 20 }, () =>
        next() % 4 === 0 ? values[next() % 8] : 'ab x'.repeat(next() % 5),
      );
      const line = parts.join(next() % 2 ? '' : ' ');
      expect(maskPrinted(line, many)).toBe(maskPrinted(line, older));
    }
    expect(maskPrinted(`${'a'.repeat(4000)}secret-${'x'.repeat(14)}`, many).endsWith('***')).toBe(true);
  });
});

describe('the secrets a submit knows', () => {
  test('secrets[].value, keys and passwords, and variables named like credentials; not other values', () => {
    const body = {
      properties: {
        secrets: [{ name: 'API_TOKEN', value: 'tok-123456' }],
        environmentVariables: [
          { name: 'DB_PASSWORD', value: 'pw-abcdef' },
          { name: 'GREETING', value: 'hello world' },
        ],
        mountVolumes: { azureFileShares: [{ credentials: { accountKey: 'a2V5LXZhbHVl' } }] },
      },
    };
    expect(secretFieldValues(body).sort()).toEqual(['a2V5LXZhbHVl', 'pw-abcdef', 'tok-123456']);
  });
});
