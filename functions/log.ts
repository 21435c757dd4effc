// The app's log sink, in a module of its own so a small graph (the Slack intake) can log without loading the
// backend's.
import { redactText } from '../shared/core/redact';

export const defaultLog = (line: string) => console.log(line);
/** Every log line of the app passes the one text redactor, whatever error text it carries. */
export const redacting = (sink: (line: string) => void) => (line: string) => sink(redactText(line));
