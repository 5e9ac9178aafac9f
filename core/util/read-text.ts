// Reading a cache file as text: decoded as Latin-1 when it is ASCII, twice as fast as UTF-8 here
// (cairn's caches are mostly ASCII JSON).
import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';

export function readText(file: string): string {
  const buf = readFileSync(file);
  return buf.toString(isAscii(buf) ? 'latin1' : 'utf8');
}
