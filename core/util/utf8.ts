// Project files are UTF-8. Decoding anything else silently turns its bytes into U+FFFD (`café` in
// Latin-1 reads as `caf�`) and the model builds with mangled text; cairn stops and names the byte.
import { isUtf8 } from 'node:buffer';
import { CairnError } from '../errors.js';

/**
 * Checks text decoded from `bytes`: only when it holds a U+FFFD (rare) are the bytes validated, so
 * the usual file costs one scan of its text. Throws PROJECT_INVALID with the first bad byte's offset.
 */
export function checkUtf8(text: string, bytes: Uint8Array, file: string): void {
  if (!text.includes('\uFFFD') || isUtf8(bytes)) return;
  const offset = firstInvalidByte(bytes);
  const line = bytes.subarray(0, offset).reduce((n, b) => (b === 10 ? n + 1 : n), 1);
  throw new CairnError('PROJECT_INVALID', `${file} is not valid UTF-8: byte 0x${bytes[offset]!.toString(16).padStart(2, '0')} at offset ${offset}`, {
    file, line, hint: 'save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)',
  });
}

/** Offset of the first byte that does not begin or continue a valid UTF-8 sequence (runs only on error). */
function firstInvalidByte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > b.length || !isUtf8(b.subarray(i, i + len))) return i;
    i += len;
  }
  return b.length;
}
