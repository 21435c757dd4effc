// Pure: a training log (or its tail) → how far the job is and its latest metrics. Reads what the common tools
// print: tqdm bars (also PyTorch Lightning's and Hugging Face's, which are tqdm), Keras `Epoch 3/10` and
// `450/938 [====>...] - ETA: 15s - loss: 0.12` (and Keras 3's `━━━` bars), Hugging Face Trainer's
// `{'loss': 0.43, 'epoch': 0.5}` dicts, `key=value` / `key: value` lines, and the explicit convention the README
// documents: `@@metrics {"step": 120, "total_steps": 1000, "loss": 0.42}` (one JSON object per line after the
// marker). Later lines win. Each line is screened by a cheap character test before any regex, so a megabyte of
// log is a few milliseconds (bench/progress-parse.ts).

export interface TrainingProgress {
  step?: number;
  totalSteps?: number;
  epoch?: number;
  totalEpochs?: number;
  /**
   * `epoch` names the epoch under way (Keras' `Epoch 3/10`, a tqdm bar's `Epoch 3:`), not epochs done (a
   * Trainer dict's `'epoch': 2.5`): epoch 3 of 10 just begun is 20% done, not 30%. Counted from 1 whatever the
   * tool prints: PyTorch Lightning's `Epoch 0:` (it counts from 0) is read as epoch 1.
   */
  epochUnderWay?: boolean;
  /** Steps (or items) per second, as the tool measured it. */
  ratePerSecond?: number;
  /** Time left, as the tool said it or from the rate and the steps left. */
  etaSeconds?: number;
  /** The latest value of each metric, in the order they were first seen (at most MAX_METRICS names). */
  metrics: Record<string, number>;
  /** The main metric over steps (x is the step where known, else the epoch, else the line's order). */
  series: Array<{ x: number; y: number }>;
  /** The metric `series` follows (the one asked for, else the first whose name holds "loss"). */
  mainMetric?: string;
}

export const METRICS_MARKER = '@@metrics ';
const MAX_METRICS = 12;
/** Points kept for a chart; older halves are thinned when the list fills, so any log length fits. */
const MAX_POINTS = 400;

const NUM = '[-+]?(?:\\d+\\.?\\d*(?:[eE][-+]?\\d+)?|\\.\\d+(?:[eE][-+]?\\d+)?|nan|inf)';
/** The bar ends at its first `]`: what follows may be another line (see `feed`), whose own `]` is not the bar's. */
const TQDM = /(?:^|\s)(\d+)\/(\d+) \[([\d:]+)<([\d:?]+)(?:,\s*([\d.]+|\?)(it|s)\/(s|it))?(?:,\s*(.*?))?\]/;
const TQDM_EPOCH = /\bEpoch (\d+)(?:\/(\d+))?\b/i;
const KERAS_EPOCH = /^\s*Epoch (\d+)\/(\d+)\s*$/;
const KERAS_BAR = /^\s*(\d+)\/(\d+) (?:\[[=>.]*\]|[━─=>.\s]+?)(?= |$)/;
const KERAS_ETA = /ETA: (?:(\d+):)?(\d+)(?::(\d+))?s?/;
const KERAS_STEP_TIME = /(\d+(?:\.\d+)?)(ms|s|us)\/step/;
/** A number where a value starts (sticky: tried at one position only). */
const VALUE = new RegExp(NUM, 'y');
const FRACTION = /\b(epoch|step|iter(?:ation)?|global_step)\s*[=: ]\s*(\d+)\s*\/\s*(\d+)/gi;

type Role = 'step' | 'epoch' | 'totalSteps' | 'totalEpochs' | 'loss' | 'metric';
/** Key names (lower case) that say how far the run is rather than name a metric. */
const ROLES: Record<string, Role> = {
  step: 'step',
  global_step: 'step',
  iter: 'step',
  iteration: 'step',
  epoch: 'epoch',
  total_steps: 'totalSteps',
  max_steps: 'totalSteps',
  total_epochs: 'totalEpochs',
  num_epochs: 'totalEpochs',
  max_epochs: 'totalEpochs',
  epochs: 'totalEpochs',
};

/** [A-Za-z0-9_.] : what may not follow a number for it to be a whole value. */
function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46;
}

const isKeyChar = (c: number) => isWordChar(c) || c === 47 || c === 45; // also / and -

/** The key ending just before `at` (spaces, then a quote, allowed between), or undefined. */
function keyBefore(text: string, at: number): string | undefined {
  let end = at;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  const quote = text.charCodeAt(end - 1);
  const quoted = quote === 39 || quote === 34;
  if (quoted) end--;
  let start = end;
  while (start > 0 && isKeyChar(text.charCodeAt(start - 1))) start--;
  if (quoted && text.charCodeAt(start - 1) !== quote) return undefined;
  const first = text.charCodeAt(start);
  // A key starts with a letter or _; "3: 45%" or "00:15" are not keys.
  if (start === end || !((first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first === 95))
    return undefined;
  return text.slice(start, end);
}

/** `00:15`, `1:02:03` → seconds. */
function clock(s: string): number | undefined {
  if (!/^[\d:]+$/.test(s)) return undefined;
  return s.split(':').reduce((acc, p) => acc * 60 + Number(p), 0);
}

class Collector {
  readonly p: TrainingProgress = { metrics: {}, series: [] };
  private line = 0;
  /** The log's tqdm bars count epochs from 0 (PyTorch Lightning's do). */
  private epochsFromZero = false;
  private stride = 1;
  private pending = 0;
  constructor(private readonly main: string | undefined) {}

  /** What each key name means, worked out once per distinct name (a log repeats the same few names). */
  private readonly roles = new Map<string, Role>();
  private metricCount = 0;

  private role(name: string): Role {
    let r = this.roles.get(name);
    if (r === undefined) {
      const key = name.toLowerCase();
      r = ROLES[key] ?? (key.includes('loss') ? 'loss' : 'metric');
      this.roles.set(name, r);
    }
    return r;
  }

  metric(name: string, value: number, role = this.role(name)): void {
    switch (role) {
      case 'step':
        this.p.step = value;
        return;
      case 'epoch':
        this.p.epoch = value;
        this.p.epochUnderWay = false;
        return;
      case 'totalSteps':
        this.p.totalSteps = value;
        return;
      case 'totalEpochs':
        this.p.totalEpochs = value;
        return;
    }
    if (!(name in this.p.metrics)) {
      if (this.metricCount >= MAX_METRICS) return;
      this.metricCount++;
    }
    this.p.metrics[name] = value;
    if (this.p.mainMetric === undefined && (this.main ? name === this.main : role === 'loss')) this.p.mainMetric = name;
    if (name === this.p.mainMetric) this.point(value);
  }

  private point(y: number): void {
    if (!Number.isFinite(y)) return;
    // Thinning: once full, keep every other point and take only every stride-th new one.
    if (++this.pending < this.stride) return;
    this.pending = 0;
    const x = this.p.step ?? this.p.epoch ?? this.line;
    const s = this.p.series;
    if (s.length > 0 && s[s.length - 1]!.x === x) s[s.length - 1] = { x, y };
    else s.push({ x, y });
    if (s.length >= MAX_POINTS) {
      this.p.series = s.filter((_, i) => i % 2 === 1);
      this.stride *= 2;
    }
  }

  /** Where the step or epoch comes after the metrics (Hugging Face puts `epoch` last), it is still their x. */
  private many(entries: Array<[string, number]>): void {
    const isProgress = (r: Role) => r === 'step' || r === 'epoch';
    for (const [k, v] of entries) {
      const r = this.role(k);
      if (isProgress(r)) this.metric(k, v, r);
    }
    for (const [k, v] of entries) {
      const r = this.role(k);
      if (!isProgress(r)) this.metric(k, v, r);
    }
  }

  /**
   * Every `key=value`, `key: value` and `'key': value` with a numeric value. A scan from each `=` or `: `
   * outwards, not a regex tried at every position: a long line of chatter costs one pass.
   */
  pairs(text: string): void {
    const entries: Array<[string, number]> = [];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      let valueAt: number;
      if (ch === 61 /* = */) valueAt = i + 1;
      else if (ch === 58 /* : */ && text.charCodeAt(i + 1) === 32) valueAt = i + 2;
      else continue;
      const key = keyBefore(text, i);
      if (key === undefined) continue;
      while (text.charCodeAt(valueAt) === 32) valueAt++;
      VALUE.lastIndex = valueAt;
      const m = VALUE.exec(text);
      if (!m || isWordChar(text.charCodeAt(VALUE.lastIndex))) continue;
      entries.push([key, Number(m[0])]);
      i = VALUE.lastIndex - 1;
    }
    if (entries.length) this.many(entries);
  }

  feed(line: string): void {
    this.line++;
    if (line.length < 3) return;
    if (line.startsWith(METRICS_MARKER)) {
      this.json(line.slice(METRICS_MARKER.length));
      return;
    }
    if (line.includes('it/s') || line.includes('s/it') || line.includes('%|')) {
      const m = TQDM.exec(line);
      if (m) {
        this.tqdm(line, m);
        // A log of stdout and stderr in one file (Azure ML's std_log.txt, any `2>&1`) puts the next stdout line
        // right after a bar redrawn with a bare CR, which ends in no newline: what follows the bar is a line of
        // its own, read as one (else a Keras line's metrics after the bar would never be read again).
        const rest = line.slice(m.index + m[0].length);
        if (rest.length) this.feed(rest);
        return;
      }
    }
    if (line.includes('Epoch')) {
      const m = KERAS_EPOCH.exec(line);
      if (m) {
        this.p.epoch = Number(m[1]);
        this.p.totalEpochs = Number(m[2]);
        this.p.epochUnderWay = true;
        // A new epoch's bar starts from nothing: the last epoch's full bar is not this one's. (Set to undefined,
        // not deleted: a delete turns the object into a slow dictionary for the rest of the parse.)
        this.p.step = undefined;
        this.p.etaSeconds = undefined;
        return;
      }
    }
    const c = line.charCodeAt(0);
    if (c === 123 /* { */ && line.includes("': ")) {
      this.pairs(line);
      return;
    }
    const slash = line.includes('/');
    if (slash && (c === 32 || (c >= 48 && c <= 57))) {
      const m = KERAS_BAR.exec(line);
      if (m) {
        this.keras(line, m);
        return;
      }
    }
    if (slash) {
      FRACTION.lastIndex = 0;
      for (let f = FRACTION.exec(line); f; f = FRACTION.exec(line)) this.fraction(f[1]!, Number(f[2]), Number(f[3]));
    }
    this.pairs(line);
  }

  private fraction(what: string, n: number, total: number): void {
    if (what.toLowerCase() === 'epoch') {
      // `epoch 2/5 loss=…` is most often printed as an epoch ends: epochs done.
      this.p.epoch = n;
      this.p.totalEpochs = total;
      this.p.epochUnderWay = false;
    } else {
      this.p.step = n;
      this.p.totalSteps = total;
    }
  }

  private json(text: string): void {
    let o: unknown;
    try {
      o = JSON.parse(text);
    } catch {
      return; // a line that only looks like the convention is not progress; the log keeps it as text
    }
    if (!o || typeof o !== 'object' || Array.isArray(o)) return;
    this.many(Object.entries(o).filter((e): e is [string, number] => typeof e[1] === 'number'));
  }

  private tqdm(line: string, m: RegExpExecArray): void {
    const e = TQDM_EPOCH.exec(line.slice(0, m.index + 1));
    if (e) {
      // Lightning counts epochs from 0 and puts its logger's `v_num` in every bar's postfix; a bar at `Epoch 0`
      // counts from 0 too. Either sign, once seen, holds for the rest of the log. Lightning's `Epoch 4/9` names
      // the last epoch's index (max_epochs - 1); anyone else's `/N` is taken as the count.
      const n = Number(e[1]);
      const lightning = m[8]?.includes('v_num=') === true;
      if (n === 0 || lightning) this.epochsFromZero = true;
      const base = this.epochsFromZero ? 1 : 0;
      this.p.epoch = n + base;
      if (e[2] !== undefined) this.p.totalEpochs = Number(e[2]) + (lightning ? 1 : 0);
      this.p.epochUnderWay = true;
    }
    this.p.step = Number(m[1]);
    this.p.totalSteps = Number(m[2]);
    const eta = clock(m[4]!);
    if (m[5] && m[5] !== '?') {
      const r = Number(m[5]);
      this.p.ratePerSecond = m[6] === 's' ? (r > 0 ? 1 / r : undefined) : r;
    }
    this.p.etaSeconds = eta;
    if (m[8]) this.pairs(m[8]);
  }

  private keras(line: string, m: RegExpExecArray): void {
    this.p.step = Number(m[1]);
    this.p.totalSteps = Number(m[2]);
    const rest = line.slice(m[0].length);
    const eta = KERAS_ETA.exec(rest);
    if (eta) {
      const parts = [eta[1], eta[2], eta[3]].filter((x): x is string => x !== undefined).map(Number);
      this.p.etaSeconds = parts.reduce((acc, p) => acc * 60 + p, 0);
    } else this.p.etaSeconds = undefined;
    const st = KERAS_STEP_TIME.exec(rest);
    if (st) {
      const secs = Number(st[1]) / (st[2] === 'ms' ? 1000 : st[2] === 'us' ? 1e6 : 1);
      if (secs > 0) this.p.ratePerSecond = 1 / secs;
    }
    this.pairs(rest);
  }
}

/** Lines are split on CR as well as LF: a tqdm redraw is a line of its own, and the last one wins. */
export function parseProgress(text: string, opts: { mainMetric?: string } = {}): TrainingProgress {
  const c = new Collector(opts.mainMetric);
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || ch === 13) {
      if (i > start) c.feed(text.slice(start, i));
      start = i + 1;
    }
  }
  if (start < text.length) c.feed(text.slice(start));
  const p = c.p;
  if (p.etaSeconds === undefined && p.ratePerSecond && p.step !== undefined && p.totalSteps !== undefined) {
    p.etaSeconds = Math.max(0, (p.totalSteps - p.step) / p.ratePerSecond);
  }
  if (!p.epochUnderWay) p.epochUnderWay = undefined;
  // Fields a later line cleared are left out, as if never seen.
  for (const k of Object.keys(p) as Array<keyof TrainingProgress>) if (p[k] === undefined) delete p[k];
  return p;
}

/** 0..1 of the run, from steps within epochs where both are known, else whichever is. */
export function fractionDone(p: TrainingProgress): number | undefined {
  const stepPart = p.step !== undefined && p.totalSteps ? Math.min(1, p.step / p.totalSteps) : undefined;
  if (p.epoch !== undefined && p.totalEpochs) {
    // Keras counts epochs from 1 and draws the current one's bar; a dict's `epoch` already counts epochs done.
    const whole = p.epochUnderWay ? p.epoch - 1 + (stepPart ?? 0) : p.epoch;
    return Math.max(0, Math.min(1, whole / p.totalEpochs));
  }
  return stepPart;
}
