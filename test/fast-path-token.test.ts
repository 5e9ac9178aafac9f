// The fast path's tokenizer (core/templating/fast-path-token.ts) against the RegExp it replaced, on
// random text made of the characters that matter to it: the same token, or none, at every position.
import { describe, expect, it } from 'vitest';
import { isCloser, scanToken, tokenEnd } from '../core/templating/fast-path-token.js';

const REFERENCE = /\s*(?:('[^'\\\n]*'|"[^"\\\n]*")|(\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_]\w*)|(-?%\}|-?\}\})|([()[\],=.]))/y;
const ALPHABET = [' ', ' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff', 'a', 'Z', '_', 'x', '0', '7', '9', '.', '.', '-', '%', '}', '}', '{', '(', ')', '[', ']', ',', '=', "'", '"', '\\', 'é', '+', '|', '~', '\u0660'];

function reference(src: string, j: number): { tok: string; end: number; closer: boolean } | undefined {
  REFERENCE.lastIndex = j;
  const m = REFERENCE.exec(src);
  if (!m) return undefined;
  return { tok: m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]!, end: REFERENCE.lastIndex, closer: m[4] !== undefined };
}

function scanned(src: string, j: number): { tok: string; end: number; closer: boolean } | undefined {
  const start = scanToken(src, j);
  if (start < 0) return undefined;
  const tok = src.slice(start, tokenEnd);
  return { tok, end: tokenEnd, closer: isCloser(tok) };
}

describe('fast-path tokenizer', () => {
  it('finds the token the reference RegExp finds, at every position of random text', () => {
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    let tokens = 0;
    for (let k = 0; k < 20_000; k++) {
      let src = '';
      for (let len = 1 + rand(14); len > 0; len--) src += ALPHABET[rand(ALPHABET.length)];
      for (let j = 0; j <= src.length; j++) {
        const want = reference(src, j);
        expect(scanned(src, j), JSON.stringify({ src, j })).toEqual(want);
        if (want) tokens++;
      }
    }
    expect(tokens).toBeGreaterThan(50_000); // the random text is not all rejects
  });

  it('reads the tokens of a real tag', () => {
    const src = "{{ config(materialized='table', tags=[\"a\"], n=1.5) -}}";
    const toks: string[] = [];
    for (let j = 2; ; ) {
      const start = scanToken(src, j);
      expect(start).toBeGreaterThanOrEqual(0);
      const tok = src.slice(start, (j = tokenEnd));
      toks.push(tok);
      if (isCloser(tok)) break;
    }
    expect(toks).toEqual(['config', '(', 'materialized', '=', "'table'", ',', 'tags', '=', '[', '"a"', ']', ',', 'n', '=', '1.5', ')', '-}}']);
  });
});
