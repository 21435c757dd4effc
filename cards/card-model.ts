// The card between a view and a platform: a title, a plain summary line and a list of blocks. Views are
// laid out once (layout.ts); the Adaptive Card and Block Kit renderers only translate blocks, so both
// platforms show the same content and trimming works on one structure. All strings here are plain text:
// each renderer escapes them for its own markup.
import type { ActionView } from '../shared/core/views';

export type Tone = 'default' | 'good' | 'warning' | 'attention' | 'accent';

export interface Item {
  title: string;
  text: string;
  tone?: Tone;
  /** Tapping the item (Adaptive Cards) or its button (Slack) sends this command. */
  command?: string;
  commandTitle?: string;
}

export type Block =
  | { type: 'text'; text: string; tone?: Tone; strong?: boolean; subtle?: boolean }
  | { type: 'facts'; facts: Array<{ title: string; value: string }> }
  /**
   * Monospace lines, shown as written (no markup) under their label. `hiddenAbove` / `hiddenBelow` count lines
   * cut off the top (a log's old lines) or the bottom (a long document); `note` says what the source omits.
   */
  | { type: 'code'; label: string; lines: string[]; hiddenAbove: number; hiddenBelow?: number; note?: string }
  | {
      type: 'links';
      label: string;
      links: Array<{ title: string; url?: string; detail?: string }>;
      hiddenBelow: number;
      note?: string;
    }
  | { type: 'items'; items: Item[]; hiddenBelow: number; empty?: string }
  /**
   * A metric over steps: a native line chart in Teams (a text `summary` where the host has none), an uploaded
   * PNG in Slack. `points` are already thinned to MAX_CHART_POINTS.
   */
  | {
      type: 'chart';
      title: string;
      metric: string;
      xTitle: string;
      points: Array<{ x: number; y: number }>;
      summary: string;
    }
  | { type: 'actions'; actions: ActionView[] };

export interface CardModel {
  title: string;
  /** One plain line: the notification text and the fallback where cards do not show. */
  summary: string;
  blocks: Block[];
}

/** The most any one line or paragraph may hold before it is cut, so no single value can blow a card's size. */
export const MAX_LINE = 400;
export const MAX_TEXT = 2000;
/** Lines of a document (a request body, a template) shown before "… N more lines". */
export const MAX_CODE_LINES = 60;

/** Points a chart block holds: Teams renders at most 50 of a line chart. */
export const MAX_CHART_POINTS = 50;

/** "… 1 more line" / "… N more lines": how every card says what it cut. */
export function moreLines(n: number, where = ''): string {
  return `… ${n} more line${n === 1 ? '' : 's'}${where}`;
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
