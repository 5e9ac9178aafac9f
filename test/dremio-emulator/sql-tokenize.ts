// A small SQL tokenizer. The translator must tell identifiers from string literals and comments before
// it can rewrite Dremio paths, so regexes over raw SQL are not enough ("from" inside a string, dots in
// quoted components like "samples.dremio.com", '' escapes).
import { parseError } from './errors.js';

/** `relation` never comes out of the tokenizer: the translator folds a Dremio path into one such token. */
export type TokenType = 'ws' | 'comment' | 'word' | 'qident' | 'string' | 'number' | 'punct' | 'relation';

export interface Token {
  readonly type: TokenType;
  /** Original text, emitted unchanged unless the translator replaces the token. */
  readonly text: string;
  /** Unescaped value: identifier name for word/qident, literal content for string. */
  readonly value: string;
  /** For `relation` tokens: the Dremio path (containers..., name). */
  readonly path?: readonly string[];
}

const MULTI_PUNCT = ['::', '<=', '>=', '<>', '!=', '=>', '||', '->'];

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      while (i < n && /\s/.test(sql[i]!)) i++;
      out.push({ type: 'ws', text: sql.slice(start, i), value: ' ' });
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      out.push({ type: 'comment', text: sql.slice(start, i), value: '' });
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) throw parseError(`Encountered "<EOF>": unterminated comment at position ${start}`);
      i = end + 2;
      out.push({ type: 'comment', text: sql.slice(start, i), value: '' });
    } else if (c === "'" || c === '"') {
      // Both literal kinds escape their quote by doubling it.
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw parseError(`Encountered "<EOF>": unterminated ${c === "'" ? 'string literal' : 'quoted identifier'} at position ${start}`);
        if (sql[i] === c) {
          if (sql[i + 1] === c) { value += c; i += 2; continue; }
          i++;
          break;
        }
        value += sql[i];
        i++;
      }
      out.push({ type: c === "'" ? 'string' : 'qident', text: sql.slice(start, i), value });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9.]/.test(sql[i]!)) i++;
      if (/[eE]/.test(sql[i] ?? '') && /[-+0-9]/.test(sql[i + 1] ?? '')) {
        i += 2;
        while (i < n && /[0-9]/.test(sql[i]!)) i++;
      }
      out.push({ type: 'number', text: sql.slice(start, i), value: sql.slice(start, i) });
    } else if (/[A-Za-z_$]/.test(c)) {
      while (i < n && /[A-Za-z0-9_$]/.test(sql[i]!)) i++;
      const text = sql.slice(start, i);
      out.push({ type: 'word', text, value: text });
    } else {
      const two = sql.slice(i, i + 2);
      const text = MULTI_PUNCT.includes(two) ? two : c;
      i += text.length;
      out.push({ type: 'punct', text, value: text });
    }
  }
  return out;
}

export const isSignificant = (t: Token): boolean => t.type !== 'ws' && t.type !== 'comment';
export const isIdent = (t: Token | undefined): boolean => t !== undefined && (t.type === 'word' || t.type === 'qident');
export const isWord = (t: Token | undefined, ...words: string[]): boolean =>
  t !== undefined && t.type === 'word' && words.includes(t.value.toUpperCase());
export const isPunct = (t: Token | undefined, p: string): boolean => t !== undefined && t.type === 'punct' && t.text === p;

/** Double-quotes an identifier for DuckDB (and Dremio): embedded quotes are doubled. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** Renders significant tokens back to SQL; spacing is normalised (comments are already gone). */
export function render(tokens: readonly Token[]): string {
  let out = '';
  let prev: Token | undefined;
  for (const t of tokens) {
    const tight = prev === undefined || prev.text === '.' || t.text === '.' || t.text === ',' || t.text === ')'
      || prev.text === '(' || t.text === '::' || prev.text === '::' || (t.text === '(' && prev.type === 'word');
    out += (tight ? '' : ' ') + t.text;
    prev = t;
  }
  return out;
}
