// The Azure Batch examples (test/fixtures/azure-batch-examples: 2025-06-01.21.0, and older ones for the
// operations whose 2025 example is missing), with what both the client and the facade tests need: the
// request path filled from the example's parameters, the body parameter, and the responses as sent.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const BATCH_EXAMPLES_DIR = join(__dirname, '..', '..', 'fixtures', 'azure-batch-examples');

export interface BatchExampleResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface BatchExample {
  file: string;
  parameters: Record<string, unknown>;
  /** The one object-valued parameter: the request body (its name differs between spec versions). */
  body?: unknown;
  responses: BatchExampleResponse[];
}

/** Relative paths: `X.json` (2025-06-01.21.0) and `older/<version>/X.json`. */
export function batchExampleFiles(): string[] {
  const older = join(BATCH_EXAMPLES_DIR, 'older');
  const versions = readdirSync(older).sort();
  return [
    ...readdirSync(BATCH_EXAMPLES_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort(),
    ...versions.flatMap((v) =>
      readdirSync(join(older, v))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => `older/${v}/${f}`),
    ),
  ];
}

// Some examples put the response headers beside `body` instead of under `headers`.
function responseOf(status: string, raw: Record<string, unknown>): BatchExampleResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (k !== 'body' && k !== 'headers') headers[k] = String(v);
  for (const [k, v] of Object.entries((raw.headers ?? {}) as Record<string, unknown>)) headers[k] = String(v);
  return { status: Number(status), headers, body: raw.body };
}

export function loadBatchExample(file: string): BatchExample {
  const raw = JSON.parse(readFileSync(join(BATCH_EXAMPLES_DIR, file), 'utf8')) as {
    parameters: Record<string, unknown>;
    responses: Record<string, Record<string, unknown>>;
  };
  const bodies = Object.values(raw.parameters).filter((v) => typeof v === 'object' && v !== null);
  return {
    file,
    parameters: raw.parameters,
    body: bodies[0],
    responses: Object.entries(raw.responses).map(([s, r]) => responseOf(s, r ?? {})),
  };
}

export function fillPath(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{([\w-]+)\}/g, (_, name: string) => {
    const v = params[name];
    if (typeof v !== 'string') throw new Error(`example has no parameter ${name}`);
    return encodeURIComponent(v);
  });
}
