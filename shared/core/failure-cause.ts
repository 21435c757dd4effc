// Pure: why a job failed, in one line, from what is already at hand when it ends (its state, exit code, the
// service's error codes and the tails of its stderr and stdout), with the line that says so quoted. One rules
// table, checked in order: the service's own word first (a person or the wall clock stopped it), then what the
// log says (most specific first: a CUDA OOM also prints "out of memory"), then what the exit code alone tells.
import type { JobState, ServiceError } from '../compute/model';

export type CauseKind =
  | 'terminated'
  | 'wall-clock'
  | 'gpu-oom'
  | 'oom'
  | 'distributed'
  | 'missing-module'
  | 'missing-file'
  | 'exception';

export interface FailureCause {
  kind: CauseKind;
  /** One line in words: "GPU out of memory". */
  title: string;
  /** The log line (or the service's message) that shows it, unmasked: whoever renders it masks it. */
  quote?: string;
}

export interface FailureFacts {
  state: JobState;
  exitCode?: number;
  errors: readonly ServiceError[];
  /** The end of stderr then of stdout (or any log), oldest line first; CR redraws already resolved. */
  lines: readonly string[];
}

interface Rule {
  kind: CauseKind;
  title: string;
  /** The service said so: an error code or message. */
  error?: RegExp;
  /** A log line says so (the newest matching line is quoted). */
  line?: RegExp;
  exitCodes?: readonly number[];
  /** The job's end state alone says so (a terminated job needs no error code to have been stopped). */
  whenState?: readonly JobState[];
}

/** torchrun and mpirun put a process tag before each line: `[rank3]: `, `[1,0]<stderr>:`. */
const TAG = /^(?:\[rank\d+\]:\s?|\[\d+,\d+\]<std(?:out|err)>:\s?)/;

/** One regex from alternatives, so each stays readable and no line grows past the formatter's width. */
const anyOf = (parts: readonly string[], flags = 'i') => new RegExp(parts.join('|'), flags);

/** The table: add a rule here (and a test with a real-looking log in test/core/failure-cause.test.ts). */
export const CAUSE_RULES: readonly Rule[] = [
  {
    kind: 'terminated',
    title: 'Terminated by a person',
    error: /^(JobTerminated|UserTerminate)$|terminated by the user/i,
    whenState: ['terminated'],
  },
  { kind: 'wall-clock', title: 'Hit its wall-clock limit (maxWallClockTime)', error: /MaxWallClockTime|wall.?clock/i },
  {
    kind: 'gpu-oom',
    title: 'GPU out of memory',
    line: anyOf([
      'CUDA out of memory',
      'CUDA error: out of memory',
      'OutOfMemoryError: CUDA',
      'CUBLAS_STATUS_ALLOC_FAILED',
      'ResourceExhaustedError.*(GPU|OOM)',
    ]),
  },
  {
    kind: 'distributed',
    title: 'Distributed hang or timeout (NCCL / Gloo / MPI)',
    line: anyOf([
      '\\bNCCL (error|WARN .*time)',
      'nccl(SystemError|InternalError|UnhandledCudaError|RemoteError)',
      'Watchdog caught collective operation timeout',
      'collective operation timeout',
      'DistBackendError',
      'DistNetworkError',
      'RendezvousTimeoutError',
      'gloo.*(timed? ?out|Connection closed|EnforceNotMet)',
      'MPI_ABORT',
      'mpirun noticed that process',
      'ORTE has lost communication',
    ]),
  },
  {
    kind: 'oom',
    title: 'Out of memory (the process was killed)',
    line: anyOf([
      '^MemoryError\\b',
      'Out of memory: Killed process',
      'oom[-_ ]kill',
      'OOMKilled',
      'Cannot allocate memory',
      'std::bad_alloc',
      // bash reports a child the kernel killed: "train.sh: line 3:  4242 Killed  python train.py"
      '^(\\S+: line \\d+: +\\d+ )?Killed\\b',
    ]),
  },
  {
    kind: 'missing-module',
    title: 'A module or package is missing',
    line: anyOf(
      [
        'ModuleNotFoundError',
        'ImportError: (No module named|cannot import name)',
        'error while loading shared libraries',
        ': command not found$',
        'No matching distribution found',
        'Cannot find module',
      ],
      '',
    ),
  },
  {
    kind: 'missing-file',
    title: 'A file or mount is missing',
    line: anyOf(
      [
        'FileNotFoundError',
        'No such file or directory',
        'ENOENT',
        'Transport endpoint is not connected',
        'Stale file handle',
        'mount error',
        'is not a mount point',
      ],
      '',
    ),
  },
  // SIGKILL (128 + 9) with nothing else said is, in a training job, the kernel's OOM killer almost always.
  { kind: 'oom', title: 'Out of memory (killed, exit code 137)', exitCodes: [137] },
];

const FRAME = /^ {2}File ".*", line \d+/;
const EXCEPTION = /^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit|Warning|Failure)\b.*|^[A-Za-z_][\w.]*: .+/;

/**
 * The exception line of the last Python traceback in `lines`: the first unindented line after its header, or,
 * where a tail starts inside a deep traceback (header cut off), after its last `File "…", line N` frame.
 */
export function lastExceptionLine(lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = untag(lines[i]!);
    if (!l.startsWith('Traceback (most recent call last)') && !FRAME.test(l)) continue;
    for (let j = i + 1; j < lines.length; j++) {
      const next = untag(lines[j]!);
      if (next !== '' && !/^\s/.test(next)) return EXCEPTION.test(next) ? next : undefined;
    }
    return undefined;
  }
  return undefined;
}

const untag = (l: string) => l.replace(TAG, '');

function lastMatch(lines: readonly string[], re: RegExp): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = untag(lines[i]!).trim();
    if (re.test(l)) return l;
  }
  return undefined;
}

/**
 * The cause of a failed (or terminated) job, or undefined when nothing in the table fits and no traceback
 * was printed. The quote is the exception line of the last traceback when the matching line belongs to it,
 * else the matching line itself.
 */
export function failureCause(f: FailureFacts): FailureCause | undefined {
  if (f.state !== 'failed' && f.state !== 'terminated') return undefined;
  const exception = lastExceptionLine(f.lines);
  for (const rule of CAUSE_RULES) {
    if (rule.error) {
      const e = f.errors.find((x) => rule.error!.test(x.code) || rule.error!.test(x.message));
      if (e) return { kind: rule.kind, title: rule.title, quote: e.message || e.code };
    }
    if (rule.whenState?.includes(f.state)) return { kind: rule.kind, title: rule.title };
    if (rule.line) {
      const hit = exception && rule.line.test(exception) ? exception : lastMatch(f.lines, rule.line);
      if (hit) return { kind: rule.kind, title: rule.title, quote: hit };
    }
    if (rule.exitCodes && f.exitCode !== undefined && rule.exitCodes.includes(f.exitCode)) {
      return { kind: rule.kind, title: rule.title, ...(exception ? { quote: exception } : {}) };
    }
  }
  if (exception) return { kind: 'exception', title: 'A Python exception ended it', quote: exception };
  return undefined;
}
