#!/usr/bin/env node
// Writes build/icon.png: a 512×512 TAB icon (a blue rounded square with a white
// "T"), as a plain PNG made with node:zlib — no image dependency. electron-builder
// turns it into the macOS .icns and the Windows .ico when packaging.
// Also the tray / menu-bar icons in electron/assets/ (16 px and @2x 32 px): the
// same icon in colour for Windows and Linux, and a black "T" template image for
// the macOS menu bar (macOS tints template images for light and dark bars).
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

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

/** RGBA of one pixel of the `size`-px icon: antialiased rounded square, white T on IBM-blue (template: a black T only). */
function pixel(x, y, size, template) {
  const k = size / 512;
  const r = 96 * k; // corner radius
  const m = 16 * k; // margin
  const inBar = y >= 128 * k && y < 192 * k && x >= 112 * k && x < 400 * k;
  const inStem = x >= 224 * k && x < 288 * k && y >= 128 * k && y < 400 * k;
  if (template) return inBar || inStem ? [0, 0, 0, 255] : [0, 0, 0, 0];
  const cx = Math.min(Math.max(x + 0.5, m + r), size - m - r);
  const cy = Math.min(Math.max(y + 0.5, m + r), size - m - r);
  const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
  const alpha = Math.max(0, Math.min(1, r - d + 0.5));
  if (alpha === 0) return [0, 0, 0, 0];
  const [R, G, B] = inBar || inStem ? [255, 255, 255] : [15, 98, 254];
  return [R, G, B, Math.round(alpha * 255)];
}

function png(size, template = false) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y, size, template), row + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const outputs = [
  ['build/icon.png', png(512)],
  ['electron/assets/tray.png', png(16)],
  ['electron/assets/tray@2x.png', png(32)],
  ['electron/assets/trayTemplate.png', png(16, true)],
  ['electron/assets/trayTemplate@2x.png', png(32, true)],
];
for (const [file, data] of outputs) {
  const out = resolve(root, file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, data);
  console.log(`wrote ${out} (${data.length} bytes)`);
}
