// Pure: the body of a verified Slack request as bolt expects it. Events arrive as JSON; slash commands as a
// form; interactivity as a form whose `payload` field is JSON.
import { idFieldsProblem, malformedTextAt, wellFormedExpected } from '../../shared/core/wire-text';
import { InputError } from '../../shared/errors';

/** Ids that name the conversation, the person and the request (keys of the inbox and of every store). */
const ID_FIELDS = [
  'team_id',
  'team.id',
  'api_app_id',
  'event_id',
  'channel_id',
  'user_id',
  'user.id',
  'user.team_id',
  'channel.id',
  'container.channel_id',
  'trigger_id',
  'event.channel',
  'event.user',
  'event.team',
  'event.ts',
];

export type SlackBody = Record<string, unknown>;

export function parseSlackBody(raw: string, contentType: string | undefined): SlackBody {
  const body = parse(raw, contentType);
  const malformed = malformedTextAt(body);
  if (malformed) throw new InputError('BadRequest', `Expected ${wellFormedExpected(malformed)}.`);
  const ids = idFieldsProblem(body, ID_FIELDS);
  if (ids) throw new InputError('BadRequest', `Expected a Slack request ${ids}.`);
  return body;
}

function parse(raw: string, contentType: string | undefined): SlackBody {
  try {
    if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
      const form = Object.fromEntries(new URLSearchParams(raw));
      return typeof form.payload === 'string' ? (JSON.parse(form.payload) as SlackBody) : form;
    }
    const body = JSON.parse(raw) as unknown;
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as SlackBody;
  } catch {
    // Reported below with what was expected.
  }
  throw new InputError(
    'BadRequest',
    'Expected a Slack request: a JSON event, or a form (slash command, or `payload` with an interaction).',
  );
}
