// Pure: a metric's points → a PNG line chart (for Slack, which shows images, not chart elements). Drawn by code:
// a light plot area with grid lines, the series as a 2-pixel line, the newest point marked. No text is drawn
// (no font here): the image block's title and alt text carry the metric and its first, last and lowest values.
import { encodePng, type Image } from './png';

const W = 640;
const H = 280;
const PAD = { left: 24, right: 16, top: 16, bottom: 24 };
type Rgb = readonly [number, number, number];
const BACKGROUND: Rgb = [255, 255, 255];
const GRID: Rgb = [228, 230, 235];
const AXIS: Rgb = [150, 155, 165];
const LINE: Rgb = [70, 95, 220];
const MARK: Rgb = [220, 80, 60];

function canvas(): Image {
  const pixels = new Uint8Array(W * H * 4);
  for (let i = 0; i < W * H; i++) pixels.set([...BACKGROUND, 255], i * 4);
  return { width: W, height: H, pixels };
}

function dot(img: Image, x: number, y: number, c: Rgb, r = 0): void {
  for (let dy = -r; dy <= r; dy++)
    for (let dx = -r; dx <= r; dx++) {
      const px = Math.round(x) + dx;
      const py = Math.round(y) + dy;
      if (px < 0 || py < 0 || px >= img.width || py >= img.height) continue;
      img.pixels.set([...c, 255], (py * img.width + px) * 4);
    }
}

/** A line by stepping along its longer axis: enough for a chart, no anti-aliasing. */
function line(img: Image, x0: number, y0: number, x1: number, y1: number, c: Rgb, r = 0): void {
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  for (let i = 0; i <= steps; i++) dot(img, x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps, c, r);
}

/** The chart as PNG bytes; at least two points with finite values are expected (fewer draw an empty plot). */
export function lineChartPng(points: ReadonlyArray<{ x: number; y: number }>): Buffer {
  const img = canvas();
  const left = PAD.left;
  const right = W - PAD.right;
  const top = PAD.top;
  const bottom = H - PAD.bottom;
  for (let i = 0; i <= 4; i++) {
    const y = top + ((bottom - top) * i) / 4;
    line(img, left, y, right, y, GRID);
  }
  line(img, left, top, left, bottom, AXIS);
  line(img, left, bottom, right, bottom, AXIS);
  const ok = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (ok.length >= 2) {
    const xs = ok.map((p) => p.x);
    const ys = ok.map((p) => p.y);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
    const px = (x: number) => left + ((x - x0) / (x1 - x0 || 1)) * (right - left);
    const py = (y: number) => bottom - ((y - y0) / (y1 - y0)) * (bottom - top);
    for (let i = 1; i < ok.length; i++)
      line(img, px(ok[i - 1]!.x), py(ok[i - 1]!.y), px(ok[i]!.x), py(ok[i]!.y), LINE, 1);
    const last = ok[ok.length - 1]!;
    dot(img, px(last.x), py(last.y), MARK, 3);
  }
  return encodePng(img);
}
