// Trimming a card until it fits a platform's limits: repeatedly halve the largest trimmable block — a log
// tail loses its oldest lines (the end is what matters), a list or link set loses its last entries — and
// record what was dropped so the card can say so.
import type { Block, CardModel } from './card-model';

function weight(b: Block): number {
  if (b.type === 'code' && b.lines.length > 1) return JSON.stringify(b.lines).length;
  if (b.type === 'links' && b.links.length > 1) return JSON.stringify(b.links).length;
  if (b.type === 'items' && b.items.length > 1) return JSON.stringify(b.items).length;
  return 0;
}

function halve(b: Block): Block {
  if (b.type === 'code') {
    const drop = Math.ceil(b.lines.length / 2);
    return { ...b, lines: b.lines.slice(drop), hiddenAbove: b.hiddenAbove + drop };
  }
  if (b.type === 'links') {
    const keep = Math.floor(b.links.length / 2);
    return { ...b, links: b.links.slice(0, keep), hiddenBelow: b.hiddenBelow + b.links.length - keep };
  }
  if (b.type === 'items') {
    const keep = Math.floor(b.items.length / 2);
    return { ...b, items: b.items.slice(0, keep), hiddenBelow: b.hiddenBelow + b.items.length - keep };
  }
  return b;
}

/** One step smaller, or undefined when nothing is left to trim. */
export function shrink(model: CardModel): CardModel | undefined {
  let best = -1;
  let bestWeight = 0;
  model.blocks.forEach((b, i) => {
    const w = weight(b);
    if (w > bestWeight) {
      best = i;
      bestWeight = w;
    }
  });
  if (best < 0) return undefined;
  return { ...model, blocks: model.blocks.map((b, i) => (i === best ? halve(b) : b)) };
}

/** Renders, and while the result does not fit, trims and renders again. */
export function fitCard<T>(model: CardModel, render: (m: CardModel) => T, fits: (out: T) => boolean): T {
  let m = model;
  for (;;) {
    const out = render(m);
    const smaller = fits(out) ? undefined : shrink(m);
    if (!smaller) return out;
    m = smaller;
  }
}

export const MAX_CARD_BYTES = 28 * 1024;
export const byteSize = (x: unknown) => Buffer.byteLength(JSON.stringify(x), 'utf8');
