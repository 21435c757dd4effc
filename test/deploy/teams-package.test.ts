// `npm run package:teams`: the zip's manifest validates against the official Teams schema shipped in
// @microsoft/app-manifest, carries the deployment's bot id and domain and our command table's commands, and
// the icons are PNGs of the sizes Teams requires.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { COMMANDS } from '../../shared/core/command-table';
import { outlineIcon } from '../../tools/package/icons';
import { pngHeader } from '../../cards/png';
import { MANIFEST_VERSION, MENU_VERBS, teamsManifest } from '../../tools/package/teams-manifest';
import { buildTeamsPackage, parseArgs } from '../../tools/package/teams-package';
import { readZipEntry, zipEntryNames } from '../../tools/package/zip';

const BOT_ID = '0c2c4f6e-5a7b-4b8e-9d41-1f2e3d4c5b6a';
const HOST = 'batchaiops-abc123.azurewebsites.net';
const SCHEMA = join(
  dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build',
  'json-schemas',
  'teams',
  `v${MANIFEST_VERSION}`,
  'MicrosoftTeams.schema.json',
);

let dir: string;
let zip: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
  const outputs = join(dir, 'outputs.json');
  // The shape `az deployment group show --query properties.outputs` prints.
  writeFileSync(
    outputs,
    JSON.stringify({
      botAppId: { type: 'String', value: BOT_ID },
      functionAppHostName: { type: 'String', value: HOST },
    }),
  );
  zip = join(dir, 'teams-app.zip');
  buildTeamsPackage(parseArgs(['--outputs', outputs, '--out', zip], {}, dir), '1.2.3');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest = () => JSON.parse(Buffer.from(readZipEntry(zip, 'manifest.json')).toString('utf8'));

function validate(doc: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const check = ajv.compile(require(SCHEMA));
  return check(doc) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

test('the zip holds manifest.json and the two icons, nothing else', () => {
  expect(zipEntryNames(zip).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
});

test('the manifest validates against the official schema of its version', () => {
  expect(manifest().manifestVersion).toBe(MANIFEST_VERSION);
  expect(validate(manifest())).toEqual([]);
});

test('the schema check can fail: a manifest without a bot id or with a bad colour is refused', () => {
  const broken = { ...manifest(), accentColor: 'blue', bots: [{ ...manifest().bots[0], botId: 'not-a-guid' }] };
  expect(validate(broken).join('\n')).toMatch(/\/accentColor[\s\S]*\/bots\/0\/botId/);
});

test("carries the deployment's bot id and domain, and the version", () => {
  const m = manifest();
  expect(m.id).toBe(BOT_ID);
  expect(m.bots[0].botId).toBe(BOT_ID);
  expect(m.validDomains).toEqual([HOST]);
  expect(m.version).toBe('1.2.3');
});

test('lists the commands from the command table', () => {
  const commands = manifest().bots[0].commandLists[0].commands as Array<{ title: string; description: string }>;
  expect(commands.map((c) => c.title)).toEqual(MENU_VERBS);
  for (const c of commands) expect(c.description).toContain(COMMANDS.find((s) => s.verb === c.title)!.summary);
});

test('icons: colour 192×192 and outline 32×32 RGBA PNGs; the outline is white on transparent', () => {
  expect(pngHeader(readZipEntry(zip, 'color.png'))).toEqual({ width: 192, height: 192, colorType: 6 });
  expect(pngHeader(readZipEntry(zip, 'outline.png'))).toEqual({ width: 32, height: 32, colorType: 6 });
  expect(() => pngHeader(Buffer.from('GIF89a not a png at all'))).toThrow(/bad signature/);
  const { pixels } = outlineIcon();
  const kinds = new Set<string>();
  for (let i = 0; i < pixels.length; i += 4)
    kinds.add(pixels[i + 3] === 0 ? 'clear' : pixels.subarray(i, i + 4).join(','));
  expect([...kinds].sort()).toEqual(['255,255,255,255', 'clear']);
});

test('refuses a bot id or domain that is not one, saying what was expected', () => {
  expect(() => teamsManifest({ botAppId: 'abc', domain: HOST, version: '1.0.0' })).toThrow(/expected a GUID/);
  expect(() => teamsManifest({ botAppId: BOT_ID, domain: 'https://x/', version: '1.0.0' })).toThrow(
    /expected a host name/,
  );
  expect(() => buildTeamsPackage(parseArgs([], {}, dir), '1.0.0')).toThrow(/bot app id and the domain are needed/);
});
