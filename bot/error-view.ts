// One place that turns whatever a turn threw into a card a person can act on: coded errors keep their message,
// anything else becomes "Something went wrong (ref …)" plus one log line, scrubbed of secrets. Never a stack.
import { randomBytes } from 'node:crypto';
import { ComputeError, InputError, ProtocolError, toError } from '../shared/errors';
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

const SERVICE: Record<ComputeError['backend'], string> = {
  batchai: 'Batch AI',
  azurebatch: 'Azure Batch',
  azureml: 'Azure ML',
};

/** Every backend's refusal on one card: the service's own code and message, and whether to try again. */
function computeView(e: ComputeError): ErrorView {
  const service = SERVICE[e.backend];
  const detail = e.values.find((v) => v.key === 'Reason' || v.key === 'reason')?.value;
  const message = `${redactText(e.message)}${detail ? ` ${redactText(detail)}` : ''} (${e.code})`;
  if (e.retryable) {
    const title = e.status === 0 ? `${service} cannot be reached` : `${service} is busy`;
    return { kind: 'error', title, message: `${message}. Try again in a moment.`, actions: [] };
  }
  const title = e.status === 404 ? 'Not found' : e.status === 409 ? 'Conflict' : `${service} refused`;
  return { kind: 'error', title, message, actions: [HELP] };
}

export function errorView(thrown: unknown, log: (line: string) => void): ErrorView {
  const e = toError(thrown);
  if (e instanceof InputError) {
    const title = e.code.endsWith('NotFound') ? 'Not found' : 'Cannot do that';
    return { kind: 'error', title, message: redactText(e.message), actions: [HELP] };
  }
  if (e instanceof ComputeError) return computeView(e);
  const ref = randomBytes(4).toString('hex');
  const kind = e instanceof ProtocolError ? 'protocol' : e.name;
  log(`[bot] turn failed ref=${ref} ${kind}: ${redactText(e.message)}`);
  return {
    kind: 'error',
    title: 'Something went wrong',
    message: `Something went wrong (ref ${ref}). The bot's log has the details.`,
    actions: [HELP],
  };
}
