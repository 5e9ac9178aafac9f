// The fast path's tokenizer for what stands between `{{ }}` / `{% %}`: one token at a time, by
// character codes. It replaces a sticky RegExp whose match arrays were most of what compiling
// 10,000 model templates allocated (~20 KB a template, and the garbage collections that follow).
// It accepts exactly what that RegExp did (test/fast-path-token.test.ts compares the two):
//   \s*(?:('[^'\\\n]*'|"[^"\\\n]*")|(\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_]\w*)|(-?%\}|-?\}\})|([()[\],=.]))

/** End of the token scanTag last found. */
export let tokenEnd = 0;

/** JavaScript's `\s` (without the `u` flag). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isWord = (c: number): boolean => isNameStart(c) || isDigit(c);

/**
 * Where the token after the white space at `j` starts (it ends at `tokenEnd`), or -1 where no token
 * starts there. Tokens: a quoted string without backslash or newline, a number not followed by a
 * word character or a dot, a name, a tag closer (`%}`, `}}`, `-%}`, `-}}`), or one of `()[],=.`.
 */
export function scanToken(src: string, j: number): number {
  const n = src.length;
  while (j < n && isSpace(src.charCodeAt(j))) j++;
  if (j >= n) return -1;
  const c = src.charCodeAt(j);
  if (c === 39 || c === 34) {
    for (let k = j + 1; k < n; k++) {
      const d = src.charCodeAt(k);
      if (d === c) {
        tokenEnd = k + 1;
        return j;
      }
      if (d === 92 || d === 10) return -1;
    }
    return -1;
  }
  if (isDigit(c)) {
    let k = j + 1;
    while (isDigit(src.charCodeAt(k))) k++;
    if (src.charCodeAt(k) === 46 && isDigit(src.charCodeAt(k + 1))) {
      k += 2;
      while (isDigit(src.charCodeAt(k))) k++;
    }
    const after = src.charCodeAt(k); // NaN past the end
    if (isWord(after) || after === 46) return -1;
    tokenEnd = k;
    return j;
  }
  if (isNameStart(c)) {
    let k = j + 1;
    while (isWord(src.charCodeAt(k))) k++;
    tokenEnd = k;
    return j;
  }
  const k = c === 45 ? j + 1 : j;
  const a = src.charCodeAt(k);
  if ((a === 37 || a === 125) && src.charCodeAt(k + 1) === 125) {
    tokenEnd = k + 2;
    return j;
  }
  if (c === 40 || c === 41 || c === 91 || c === 93 || c === 44 || c === 61 || c === 46) {
    tokenEnd = j + 1;
    return j;
  }
  return -1;
}

/** Whether a token scanToken found is a tag closer (only closers start with `-`, `%` or `}`). */
export function isCloser(tok: string): boolean {
  const c = tok.charCodeAt(0);
  return c === 45 || c === 37 || c === 125;
}
