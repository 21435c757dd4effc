// One place that turns whatever a turn threw into a card a person can act on: coded errors keep their message,
// anything else becomes "Something went wrong (ref …)" plus one log line, scrubbed of secrets. Never a stack.
import { randomBytes } from 'node:crypto';
import { ArmError, InputError, ProtocolError, toError } from '../shared/errors';
import type { ParseFailure } from '../shared/core/commands';
import type { ErrorView } from '../shared/core/views';
import { redactText } from '../shared/core/redact';

const HELP = { title: 'Help', command: 'help' };

export function parseFailureView(f: ParseFailure): ErrorView {
  const view: ErrorView = { kind: 'error', title: 'Not understood', message: f.message, actions: [] };
  if (f.suggestion) {
    view.hint = `Closest command: ${f.suggestion.usage}`;
    view.actions.push({ title: `Help: ${f.suggestion.command}`, command: `help ${f.suggestion.command}` });
  }
  view.actions.push(HELP);
  return view;
}

function armView(e: ArmError): ErrorView {
  if (e.statusCode === 429 || e.statusCode >= 500) {
    return { kind: 'error', title: 'Batch AI is busy', message: `${redactText(e.message)} (${e.code}). Try again in a moment.`, actions: [] };
  }
  const title = e.statusCode === 404 ? 'Not found' : e.statusCode === 409 ? 'Conflict' : 'Batch AI refused';
  return { kind: 'error', title, message: `${redactText(e.message)} (${e.code})`, actions: [HELP] };
}

export function errorView(thrown: unknown, log: (line: string) => void): ErrorView {
  const e = toError(thrown);
  if (e instanceof InputError) {
    const title = e.code.endsWith('NotFound') ? 'Not found' : 'Cannot do that';
    return { kind: 'error', title, message: redactText(e.message), actions: [HELP] };
  }
  if (e instanceof ArmError) return armView(e);
  const ref = randomBytes(4).toString('hex');
  const kind = e instanceof ProtocolError ? 'protocol' : e.name;
  log(`[bot] turn failed ref=${ref} ${kind}: ${redactText(e.message)}`);
  return { kind: 'error', title: 'Something went wrong', message: `Something went wrong (ref ${ref}). The bot's log has the details.`, actions: [HELP] };
}
