// What a person sees when a turn fails, and what the log gets: readable, coded, never a secret or a stack.
import { errorView, parseFailureView } from '../../bot/error-view';
import { redactJobRequest, redactText } from '../../shared/core/redact';
import { ComputeError, InputError } from '../../shared/errors';

test('redactText masks SAS signatures, account keys, bearer tokens and URL passwords', () => {
  const s = redactText(
    'GET https://a.file.core.windows.net/s/f?sv=1&sig=abc%2Fdef&se=2 AccountKey=xyz==;' +
      ' Bearer eyJ.a.b http://u:pw@host/',
  );
  expect(s).not.toMatch(/abc|xyz|eyJ|pw@/);
  expect(s).toContain('sig=***');
  expect(s).toContain('AccountKey=***');
});

test('InputError keeps its message; a *NotFound code is titled "Not found"', () => {
  const v = errorView(
    new InputError('JobNotFound', 'Job foo not found in experiment bar. Jobs there: a, b.'),
    () => undefined,
  );
  expect(v).toMatchObject({
    kind: 'error',
    title: 'Not found',
    message: 'Job foo not found in experiment bar. Jobs there: a, b.',
  });
});

test('ComputeError: busy for 429/5xx, unreachable for no answer, its message and code otherwise', () => {
  const batchAi = { backend: 'batchai' } as const;
  expect(errorView(new ComputeError('TooManyRequests', 'Slow down', 429, batchAi), () => undefined).title).toBe(
    'Batch AI is busy',
  );
  expect(errorView(new ComputeError('ServiceUnreachable', 'No answer', 0, batchAi), () => undefined).title).toBe(
    'Batch AI cannot be reached',
  );
  const v = errorView(new ComputeError('Conflict', 'Job exists', 409, batchAi), () => undefined);
  expect(v).toMatchObject({ title: 'Conflict', message: 'Job exists (Conflict)' });
});

test('ComputeError from Azure Batch: the service, its code, message and reason; never "Something went wrong"', () => {
  const lines: string[] = [];
  const e = new ComputeError('PoolResizing', 'The specified pool is resizing.', 409, {
    backend: 'azurebatch',
    values: [{ key: 'Reason', value: 'A resize is under way.' }],
  });
  expect(errorView(e, (l) => lines.push(l))).toMatchObject({
    title: 'Conflict',
    message: 'The specified pool is resizing. A resize is under way. (PoolResizing)',
  });
  expect(
    errorView(new ComputeError('Forbidden', 'No access', 403, { backend: 'azurebatch' }), () => undefined).title,
  ).toBe('Azure Batch refused');
  expect(lines).toEqual([]);
});

test('an unknown error: a reference for the person, one scrubbed log line, no stack', () => {
  const lines: string[] = [];
  const err = new Error('socket hang up at https://x/y?sig=SECRETSIG');
  const v = errorView(err, (l) => lines.push(l));
  const ref = /ref ([0-9a-f]{8})/.exec(v.message)?.[1];
  expect(ref).toBeDefined();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`ref=${ref}`);
  expect(lines[0]).not.toContain('SECRETSIG');
  expect(JSON.stringify(v)).not.toMatch(/SECRETSIG|at Object|\.ts:\d+/);
});

test('a parse failure names the closest command with its usage and a help button', () => {
  const v = parseFailureView({
    kind: 'parse-error',
    message: 'Unknown command "submti".',
    suggestion: { command: 'submit', usage: 'submit <template>' },
  });
  expect(v.hint).toBe('Closest command: submit <template>');
  expect(v.actions.map((a) => a.command)).toEqual(['help submit', 'help']);
});

test('the shown request body hides job secrets, registry passwords, account keys and SAS signatures', () => {
  const body = {
    properties: {
      secrets: [{ name: 'TOKEN', value: 'tok-123' }],
      environmentVariables: [
        { name: 'PLAIN', value: 'visible' },
        { name: 'DATA_URL', value: 'https://a.blob.core.windows.net/c?sv=1&sig=sas-000' },
      ],
      containerSettings: { imageSourceRegistry: { image: 'x', credentials: { username: 'u', password: 'pw-456' } } },
      mountVolumes: { azureFileShares: [{ accountName: 'a', credentials: { accountKey: 'key-789' } }] },
    },
  };
  const masked = JSON.stringify(redactJobRequest(body));
  for (const s of ['tok-123', 'pw-456', 'key-789', 'sas-000']) expect(masked).not.toContain(s);
  expect(masked).toContain('visible');
  expect(masked).toContain('"name":"TOKEN"');
});
