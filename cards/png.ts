// A tiny PNG encoder (8-bit RGBA, no interlace) on node:zlib: the Teams app icons (tools/package/) and the
// metric charts uploaded to Slack (chart-png.ts), and the header reader the tests use. No image library needed.
import { crc32, deflateSync } from 'node:zlib';

export interface Image {
  width: number;
  height: number /** RGBA, row by row. */;
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

export function encodePng(img: Image): Buffer {
  if (img.pixels.length !== img.width * img.height * 4)
    throw new Error(
      `png: ${img.width}×${img.height} needs ${img.width * img.height * 4} bytes, got ${img.pixels.length}`,
    );
  const header = Buffer.alloc(13);
  header.writeUInt32BE(img.width, 0);
  header.writeUInt32BE(img.height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filtering, no interlace
  // Each scanline starts with its filter type; 0 (None) keeps the encoder trivial, deflate does the rest.
  const stride = img.width * 4;
  const raw = Buffer.alloc((stride + 1) * img.height);
  for (let y = 0; y < img.height; y++) raw.set(img.pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Width, height and colour type from a PNG's IHDR, after checking the signature and the chunk's CRC. */
export function pngHeader(png: Uint8Array): { width: number; height: number; colorType: number } {
  const b = Buffer.from(png);
  if (!b.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  if (b.toString('ascii', 12, 16) !== 'IHDR' || b.readUInt32BE(8) !== 13)
    throw new Error('not a PNG: IHDR is not the first chunk');
  if (crc32(b.subarray(12, 29)) !== b.readUInt32BE(29)) throw new Error('not a PNG: IHDR CRC mismatch');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), colorType: b[25] };
}
