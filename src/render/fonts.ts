// The bundled DejaVu Sans faces: every renderer draws text with these, never with system fonts,
// so output is the same on every machine.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FONT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assets/fonts');
export const REGULAR_FONT_PATH = path.join(FONT_DIR, 'DejaVuSans.ttf');
export const BOLD_FONT_PATH = path.join(FONT_DIR, 'DejaVuSans-Bold.ttf');

let cached: { regular: Buffer; bold: Buffer } | null = null;

export function fontBuffers(): { regular: Buffer; bold: Buffer } {
  cached ??= { regular: fs.readFileSync(REGULAR_FONT_PATH), bold: fs.readFileSync(BOLD_FONT_PATH) };
  return cached;
}
