// Pure: the body of a verified Slack request as bolt expects it. Events arrive as JSON; slash commands as a
// form; interactivity as a form whose `payload` field is JSON.
import { InputError } from '../../shared/errors';

export type SlackBody = Record<string, unknown>;

export function parseSlackBody(raw: string, contentType: string | undefined): SlackBody {
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
