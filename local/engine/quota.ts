// The local engine's quota: the real services' limits are large and quota-based per subscription or account;
// the stand-in's are low enough that one hostile request (a pool of 10^9 nodes, a million instances, a body
// nested 100,000 deep, a $filter nested 7,000 deep) is refused before anything is created or kept. Both
// facades (ARM and the Batch data plane) read them from here, and answer in their own service's error shape.

/** Nodes of a cluster or pool, and instances of a multi-instance task. */
export const MAX_NODES = 100;
/** Processes of a distributed job (per node count), and workers or parameter servers. */
export const MAX_PROCESSES = 64;
/** Tasks kept per job (a task collection adds up to 100 at a time; an outsider added 20,300 and slowed all). */
export const MAX_TASKS_PER_JOB = 1000;
/** Environment variables (and secrets) of one job or task: 300,000 in one job stalled every later poll. */
export const MAX_ENVIRONMENT_VARIABLES = 1000;
/** Bytes of one job PUT or task add (a real job body is a few KiB; the general body limit is larger). */
export const MAX_JOB_BODY_BYTES = 1024 * 1024;
/** Nesting of a JSON request body (Batch AI and Batch bodies need about 8). */
export const MAX_JSON_DEPTH = 64;
/** Nesting of a $filter (parentheses and `not`), and its comparisons. */
export const MAX_FILTER_DEPTH = 16;
export const MAX_FILTER_TERMS = 64;

/** True when `text` (JSON) nests arrays and objects deeper than `max`; strings are skipped, in linear time. */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: the next character is escaped
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}
