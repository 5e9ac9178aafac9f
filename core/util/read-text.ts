// Reading a cache file as text: decoded as Latin-1 when it is ASCII, twice as fast as UTF-8 here
// (cairn's caches are mostly ASCII JSON).
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';

export function readText(file: string): string {
  return readTextAndBytes(file).text;
}

/** The text, and the bytes it was decoded from (`ascii`: each character is one byte). */
export function readTextAndBytes(file: string): { text: string; bytes: Buffer; ascii: boolean } {
  const bytes = readFileSync(file);
  const ascii = isAscii(bytes);
  return { text: bytes.toString(ascii ? 'latin1' : 'utf8'), bytes, ascii };
}
