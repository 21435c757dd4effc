// Redaction by value as well as by key: what a template card, a dry run or an error text may show.
import { isSecretVariable, redactJobRequest, redactText } from '../../shared/core/redact';
import { parseTemplate, renderTemplate, secretParameters, secretValues } from '../../shared/templates/templates';
import { template as templateHandler } from '../../bot/handlers/templates';
import type { HandlerContext } from '../../bot/handler';

const CLUSTER = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.BatchAI/workspaces/ws/clusters/gpu';
const JSON_T = {
  parameters: [
    { name: 'token', default: 'tok-default-1', pattern: '[\\w-]+' },
    { name: 'msg', default: 'hi' },
  ],
  properties: {
    customToolkitSettings: { commandLine: 'echo {{msg}}' },
    stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
    secrets: [{ name: 'TOKEN', value: '{{token}}' }],
    environmentVariables: [
      { name: 'COPY', value: 'x-{{token}}' },
      {
        name: 'CONN',
        value: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=conn-key-2==;EndpointSuffix=core.windows.net',
      },
      { name: 'URL', value: 'https://h/p?u=https%3A%2F%2Fa%2Fb%3Fsv%3D1%26sig%3Denc-sig-3%26se%3D2' },
    ],
    mountVolumes: {
      unmanagedFileSystems: [
        { mountCommand: 'mount -t cifs //s/x -o username=u,password=mount-pw-4', relativeMountPath: 'x' },
      ],
    },
  },
};
const SECRETS = ['tok-default-1', 'conn-key-2', 'enc-sig-3', 'mount-pw-4'];

test('a parameter that fills secrets[].value is a secret parameter', () => {
  expect([...secretParameters(parseTemplate(JSON_T, 't'))]).toEqual(['token']);
});

test('a dry-run body shows none of the secrets, by key or by value', () => {
  const t = parseTemplate(JSON_T, 't');
  const body = renderTemplate(t, {}, { cluster: CLUSTER });
  const shown = JSON.stringify(redactJobRequest(body, secretValues(t, {})));
  for (const s of SECRETS) expect(shown).not.toContain(s);
  expect(shown).toContain('AccountName=a');
  expect(shown).toContain('username=u');
  const given = renderTemplate(t, { token: 'person-tok-5' }, { cluster: CLUSTER });
  expect(JSON.stringify(redactJobRequest(given, secretValues(t, { token: 'person-tok-5' })))).not.toContain(
    'person-tok-5',
  );
});

test('a refused secret value is not echoed in the error', () => {
  const t = parseTemplate(JSON_T, 't');
  expect(() => renderTemplate(t, { token: 'bad secret!' }, { cluster: CLUSTER })).toThrow(
    /token: expected a value matching/,
  );
  try {
    renderTemplate(t, { token: 'bad secret!' }, { cluster: CLUSTER });
  } catch (e) {
    expect((e as Error).message).not.toContain('bad secret!');
  }
});

test('a bad default is named without its value', () => {
  const bad = { ...JSON_T, parameters: [{ name: 'token', default: 'no spaces allowed' }, { name: 'msg' }] };
  expect(() => parseTemplate(bad, 't')).toThrow(/t\.parameters\[0\]\.default/);
  expect(() => parseTemplate(bad, 't')).not.toThrow(/no spaces allowed/);
});

test('redactText: bearer, basic, URL-encoded sig, --password, JSON and connection strings', () => {
  const s = redactText(
    'Authorization: Bearer b-1 Basic YmFzaWM= q=%26sig%3Dsig-2%26se%3D1' +
      ' --password pw-3 {"password": "pw-4"} AccountKey=k-5;',
  );
  for (const x of ['b-1', 'YmFzaWM', 'sig-2', 'pw-3', 'pw-4', 'k-5']) expect(s).not.toContain(x);
  expect(s).toContain('%26se%3D1');
});

test('the template card masks a default that fills a secret and every secret in the job', async () => {
  const ctx = {
    deps: { stores: { templates: { get: async () => JSON_T, list: async () => [] } } },
  } as unknown as HandlerContext;
  const reply = await templateHandler({ kind: 'template', template: 't' }, ctx);
  const shown = JSON.stringify(reply.view);
  for (const s of SECRETS) expect(shown).not.toContain(s);
  expect(shown).toContain('= ***');
});

test('the template card masks environment values named like a credential and the defaults they take', async () => {
  const job = {
    parameters: [
      { name: 'dbPassword', default: 'HiddenDefault0042' },
      { name: 'msg', default: 'hello-there' },
    ],
    properties: {
      customToolkitSettings: { commandLine: 'echo {{msg}}' },
      stdOutErrPathPrefix: '$AZ_BATCHAI_MOUNT_ROOT/afs',
      environmentVariables: [
        { name: 'DB_PASSWORD', value: 'PwInTemplate77' },
        { name: 'STORAGE_CONN_STRING', value: 'conn-plain-8' },
        { name: 'BLOB_SAS', value: 'sas-plain-9' },
        { name: 'X_AUTH', value: 'auth-plain-10' },
        { name: 'ADMIN_PASSWD', value: '{{dbPassword}}' },
        { name: 'GREETING', value: '{{msg}}' },
      ],
    },
  };
  expect([...secretParameters(parseTemplate(job, 'e'))]).toEqual(['dbPassword']);
  const ctx = {
    deps: { stores: { templates: { get: async () => job, list: async () => [] } } },
  } as unknown as HandlerContext;
  const shown = JSON.stringify((await templateHandler({ kind: 'template', template: 'e' }, ctx)).view);
  for (const s of ['PwInTemplate77', 'HiddenDefault0042', 'conn-plain-8', 'sas-plain-9', 'auth-plain-10'])
    expect(shown).not.toContain(s);
  expect(shown).toContain('hello-there');
  expect(shown).toContain('GREETING');
});

test('variables named DBPASS, GITHUB_PAT, PASSPHRASE, CREDS, COOKIE, PRIVATE_KEY or TLS_CERT hold secrets', () => {
  const named = ['DBPASS', 'GITHUB_PAT', 'PAT_TOKEN', 'PASSPHRASE', 'CREDS', 'COOKIE', 'PGPASSFILE_CONTENT'];
  for (const name of [...named, 'PRIVATE_KEY_PEM', 'TLS_CERT', 'ssh_passphrase'])
    expect(isSecretVariable('environmentVariables', { name, value: 'x' })).toBe(true);
  for (const name of ['PATH', 'COMPAT_MODE', 'EPOCHS', 'OUTPUT_DIR'])
    expect(isSecretVariable('environmentVariables', { name, value: 'x' })).toBe(false);
  const body = { environmentVariables: [{ name: 'GITHUB_PAT', value: 'ghp-secret-1' }] };
  expect(JSON.stringify(redactJobRequest(body))).not.toContain('ghp-secret-1');
  const s = redactText('DBPASS=db-2 passphrase: pp-3 cookie=ck-4 GITHUB_PAT=gh-5 creds=cr-6');
  for (const x of ['db-2', 'pp-3', 'ck-4', 'gh-5', 'cr-6']) expect(s).not.toContain(x);
});
