// A text longer than one Table Storage property holds (64 KiB, 32K UTF-16 characters) kept across columns
// body0, body1, … of one row (a row holds 1 MiB): a chat turn's body, a sealed template.

/** Characters per column: under the 32K-character limit of one string property. */
const PART = 30_000;

export function splitColumns(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i * PART < body.length || i === 0; i++) out[`body${i}`] = body.slice(i * PART, (i + 1) * PART);
  return out;
}

export function joinedColumns(row: Record<string, unknown>): string {
  let body = '';
  for (let i = 0; typeof row[`body${i}`] === 'string'; i++) body += row[`body${i}`] as string;
  return body;
}
