// `npm run package:teams`: the Teams app package to upload (manifest.json + color.png + outline.png in a zip).
// The bot id and the domain come from the deployment's outputs (--outputs file, as `az deployment group show
// --query properties.outputs` prints them), or from --bot-id / --domain, or BOT_APP_ID / BOT_DOMAIN.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../local/chat/static-files';
import { colorIcon, outlineIcon } from './icons';
import { encodePng } from '../../cards/png';
import { ACCENT_COLOR, ICONS, teamsManifest, type ManifestInput } from './teams-manifest';
import { writeZip } from './zip';

export interface TeamsPackageArgs {
  botAppId?: string;
  domain?: string;
  outputsFile?: string;
  developerUrl?: string;
  out: string;
}

const USAGE =
  'Usage: npm run package:teams -- (--outputs outputs.json | --bot-id <guid> --domain <host>) ' +
  '[--developer-url https://...] [--out file.zip]';

export function parseArgs(argv: string[], env: Record<string, string | undefined>, root: string): TeamsPackageArgs {
  const args: TeamsPackageArgs = {
    botAppId: env.BOT_APP_ID,
    domain: env.BOT_DOMAIN,
    developerUrl: env.DEVELOPER_URL,
    out: join(root, '.deploy', 'teams-app.zip'),
  };
  const flags: Record<string, keyof TeamsPackageArgs> = {
    '--bot-id': 'botAppId',
    '--domain': 'domain',
    '--outputs': 'outputsFile',
    '--developer-url': 'developerUrl',
    '--out': 'out',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = flags[argv[i]];
    if (!key || argv[i + 1] === undefined) throw new Error(`${argv[i]}: unexpected. ${USAGE}`);
    args[key] = argv[i + 1];
  }
  return args;
}

/** `{ botAppId: { value }, functionAppHostName: { value } }` → the two values (missing ones stay undefined). */
export function fromDeploymentOutputs(json: string): Pick<ManifestInput, 'botAppId' | 'domain'> {
  const o = JSON.parse(json) as Record<string, { value?: unknown } | undefined>;
  const value = (name: string) => (typeof o[name]?.value === 'string' ? (o[name]!.value as string) : '');
  return { botAppId: value('botAppId'), domain: value('functionAppHostName') };
}

export function buildTeamsPackage(args: TeamsPackageArgs, version: string): void {
  const fromOutputs = args.outputsFile ? fromDeploymentOutputs(readFileSync(args.outputsFile, 'utf8')) : undefined;
  const botAppId = args.botAppId || fromOutputs?.botAppId;
  const domain = args.domain || fromOutputs?.domain;
  if (!botAppId || !domain) throw new Error(`The bot app id and the domain are needed. ${USAGE}`);
  const manifest = teamsManifest({ botAppId, domain, version, developerUrl: args.developerUrl });
  writeZip(args.out, [
    { path: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { path: ICONS.color, data: encodePng(colorIcon(ACCENT_COLOR)) },
    { path: ICONS.outline, data: encodePng(outlineIcon()) },
  ]);
}

if (require.main === module) {
  const root = repoRoot();
  try {
    const args = parseArgs(process.argv.slice(2), process.env, root);
    buildTeamsPackage(args, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    console.log(`${relative(root, args.out)}: upload it in Teams (Apps → Manage your apps → Upload an app).`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
}
