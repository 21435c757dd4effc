// The Teams app manifest, built from the deployment's values and our one command table (so the command menu
// cannot drift from the grammar and help). Schema: the newest that @microsoft/app-manifest ships and we test
// against (test/deploy/teams-package.test.ts).
import { COMMANDS, usageOf } from '../../shared/core/command-table';

export const MANIFEST_VERSION = '1.30';
export const ACCENT_COLOR = '#0F6CBD';
export const ICONS = { color: 'color.png', outline: 'outline.png' } as const;

// The menu Teams shows (at most 12 per scope): the everyday commands, by verb. Text comes from the table.
export const MENU_VERBS = [
  'help',
  'jobs',
  'job',
  'logs',
  'outputs',
  'submit',
  'clusters',
  'resize',
  'autoscale',
  'terminate',
  'subscribe',
  'templates',
];

export interface ManifestInput {
  /** The bot's app id: the user-assigned identity's client id (deployment output botAppId). */
  botAppId: string;
  /** The Function App's host name (deployment output functionAppHostName). */
  domain: string;
  /** The app's version (package.json). */
  version: string;
  /** The publisher's website, privacy and terms page (default: the app's root URL). */
  developerUrl?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function menuCommands(): Array<{ title: string; description: string }> {
  return MENU_VERBS.map((verb) => {
    const spec = COMMANDS.find((c) => c.verb === verb);
    if (!spec) throw new Error(`Teams menu: no command "${verb}" in shared/core/command-table.ts`);
    return { title: verb, description: `${spec.summary} Usage: ${usageOf(spec)}` };
  });
}

export function teamsManifest(input: ManifestInput): Record<string, unknown> {
  if (!GUID.test(input.botAppId))
    throw new Error(`bot app id "${input.botAppId}": expected a GUID (the deployment output botAppId).`);
  if (!HOST.test(input.domain))
    throw new Error(
      `domain "${input.domain}": expected a host name such as myapp.azurewebsites.net ` +
        '(the deployment output functionAppHostName).',
    );
  const site = input.developerUrl ?? `https://${input.domain}/`;
  if (!/^https:\/\/\S+$/.test(site)) throw new Error(`developer URL "${site}": expected an https:// URL.`);
  const scopes = ['personal', 'team', 'groupChat'];
  return {
    $schema: `https://developer.microsoft.com/en-us/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version: input.version,
    id: input.botAppId,
    developer: {
      name: 'batchai-chatops',
      websiteUrl: site,
      privacyUrl: site,
      termsOfUseUrl: site,
    },
    name: { short: 'Batch AI', full: 'Batch AI chat-ops' },
    description: {
      short: 'Run and watch Azure Batch AI training jobs from Teams.',
      full:
        'Submit jobs from saved templates, resize or auto-scale GPU clusters, read logs and outputs, ' +
        'and get an alert when a job finishes or fails.',
    },
    icons: { ...ICONS },
    accentColor: ACCENT_COLOR,
    bots: [
      {
        botId: input.botAppId,
        scopes,
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes, commands: menuCommands() }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [input.domain],
  };
}
