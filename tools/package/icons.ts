// The Teams app's icons, drawn by code: a colour icon (192×192, the accent colour with a white glyph) and an
// outline icon (32×32, white on transparent, as Teams requires). The glyph is three bars of a node-count chart.
import type { Image } from '../../cards/png';

type Rgba = [number, number, number, number];

const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** '#0F6CBD' → opaque RGBA. */
export function hexColor(hex: string): Rgba {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`colour ${hex}: expected #rrggbb`);
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 255];
}

function draw(size: number, paint: (x: number, y: number) => Rgba): Image {
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) pixels.set(paint(x, y), (y * size + x) * 4);
  return { width: size, height: size, pixels };
}

/** Is (x, y), in units of the icon's size, on one of the three bars (short, tall, middle)? */
function onBar(u: number, v: number): boolean {
  const bars: Array<[number, number, number]> = [
    [0.22, 0.36, 0.55],
    [0.43, 0.57, 0.25],
    [0.64, 0.78, 0.4],
  ];
  return v < 0.78 && bars.some(([from, to, top]) => u >= from && u < to && v >= top);
}

export function colorIcon(accent: string): Image {
  const bg = hexColor(accent);
  return draw(192, (x, y) => (onBar((x + 0.5) / 192, (y + 0.5) / 192) ? WHITE : bg));
}

export function outlineIcon(): Image {
  return draw(32, (x, y) => {
    const border = x === 0 || y === 0 || x === 31 || y === 31;
    return border || onBar((x + 0.5) / 32, (y + 0.5) / 32) ? WHITE : CLEAR;
  });
}
