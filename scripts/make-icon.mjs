#!/usr/bin/env node
// Writes build/icon.png: a 512×512 TAB icon (a blue rounded square with a white
// "T"), as a plain PNG made with node:zlib — no image dependency. electron-builder
// turns it into the macOS .icns and the Windows .ico when packaging.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 512;
const out = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'icon.png');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

/** RGBA of one pixel: antialiased rounded square, white T on IBM-blue. */
function pixel(x, y) {
  const r = 96; // corner radius
  const m = 16; // margin
  const cx = Math.min(Math.max(x + 0.5, m + r), SIZE - m - r);
  const cy = Math.min(Math.max(y + 0.5, m + r), SIZE - m - r);
  const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
  const alpha = Math.max(0, Math.min(1, r - d + 0.5));
  if (alpha === 0) return [0, 0, 0, 0];
  const inBar = y >= 128 && y < 192 && x >= 112 && x < 400;
  const inStem = x >= 224 && x < 288 && y >= 128 && y < 400;
  const [R, G, B] = inBar || inStem ? [255, 255, 255] : [15, 98, 254];
  return [R, G, B, Math.round(alpha * 255)];
}

const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  raw[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) raw.set(pixel(x, y), row + 1 + x * 4);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
