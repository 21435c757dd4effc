// Pure: a line of a job's output as text to show, without what a terminal would act on. Escape sequences
// (colours, cursor moves, titles), carriage returns and backspaces are the job's own formatting; left in, they
// break cards and logs, and they split a printed secret (`abc\e[0mdef`) so that no print matches it. One pass of
// regular expressions without nested repetition: linear in the line.

// CSI (ESC [ or the 8-bit 0x9b: parameters, intermediates, a final byte), OSC, DCS, SOS, PM and APC strings up
// to their terminator (BEL or ESC \) or the end of the line, then any other two-character escape.
// biome-ignore lint/suspicious/noControlCharactersInRegex: it removes control sequences on purpose
const CSI = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]/.source;
// biome-ignore lint/suspicious/noControlCharactersInRegex: it removes control sequences on purpose
const STRING = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?/.source;
const SEQUENCES = new RegExp(`${CSI}|${STRING}|\\x1b[ -~]?`, 'g');
// Every other control character but tab (a line has no newline left).
// biome-ignore lint/suspicious/noControlCharactersInRegex: it removes control characters on purpose
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

export function stripControls(line: string): string {
  return line.replace(SEQUENCES, '').replace(CONTROLS, '');
}
