// A cursor over translated tokens, for the few statement shapes the emulator parses by hand.
import { parseError } from './errors.js';
import { type Token, isWord, isPunct, render } from './sql-tokenize.js';

export class Cursor {
  constructor(readonly tokens: readonly Token[], public pos = 0) {}

  peek(k = 0): Token | undefined { return this.tokens[this.pos + k]; }
  done(): boolean { return this.pos >= this.tokens.length; }

  /** Consumes the given keyword sequence if it is next (case-insensitive). */
  accept(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!isWord(this.peek(k), words[k]!)) return false;
    this.pos += words.length;
    return true;
  }

  expect(...words: string[]): void {
    if (!this.accept(...words)) throw this.unexpected(words.join(' '));
  }

  relation(): Token {
    const t = this.peek();
    if (t?.type !== 'relation') throw this.unexpected('a dataset path');
    this.pos++;
    return t;
  }

  /** Consumes "( ... )" and returns the tokens inside, honouring nesting. */
  parenGroup(): Token[] {
    if (!isPunct(this.peek(), '(')) throw this.unexpected('(');
    let depth = 0;
    const start = this.pos;
    for (; this.pos < this.tokens.length; this.pos++) {
      const t = this.tokens[this.pos]!;
      if (isPunct(t, '(')) depth++;
      else if (isPunct(t, ')') && --depth === 0) { this.pos++; return this.tokens.slice(start + 1, this.pos - 1) as Token[]; }
    }
    throw parseError('Encountered "<EOF>": missing ")"');
  }

  rest(): Token[] {
    const r = this.tokens.slice(this.pos) as Token[];
    this.pos = this.tokens.length;
    return r;
  }

  unexpected(wanted: string): Error {
    const t = this.peek();
    return parseError(`Encountered "${t ? t.text : '<EOF>'}" at token ${this.pos + 1}. Was expecting ${wanted}.`);
  }
}

/** Splits tokens at top-level commas: "a, f(b, c), d" -> [a], [f(b, c)], [d]. */
export function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (isPunct(t, '(')) depth++;
    if (isPunct(t, ')')) depth--;
    if (depth === 0 && isPunct(t, ',')) out.push([]);
    else out[out.length - 1]!.push(t);
  }
  return out.filter((g) => g.length > 0);
}

export const sqlOf = render;
