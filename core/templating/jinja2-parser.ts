// Jinja2's grammar where nunjucks' parser differs, as dbt code uses it. The mechanism: cairn keeps
// nunjucks (its lexer, code generation and runtime are fast, and the template fast path and the
// partial-parse cache are built around it) and replaces the few parser and compiler methods whose
// grammar or semantics differ from Jinja2 (nunjucks exposes them as classes; this is how its own
// `installJinjaCompat` adds slices). A text preprocessor in front of nunjucks could not do this
// faithfully: `*args`, expression dict keys, `return()` and namespaces need new syntax-tree nodes and
// new generated code, not rewritten text; a second engine would mean a second lexer and runtime
// with their own bugs and a slower compile. Installed once per process, before installJinjaCompat
// (which wraps parseAggregate, so slices keep working).
//
// Parser changes, each as Jinja2 parses it:
// - trailing commas in calls, lists, dicts and tuples; `(a, b)` is a tuple (a list here), not JS's
//   comma operator;
// - `*args` / `**kwargs` at call sites;
// - `}}` inside open brackets closes them (nested dicts in `{{ }}`), as Jinja2's lexer reads it;
// - dict keys are any expression (`{col.name: col}`; a bare name is a variable, as in Python);
// - adjacent string literals concatenate (`"a" "b"`);
// - `{% with %}`; test arguments without parentheses (`x is divisibleby 3`);
// - `{% do expr %}` (jinja2.ext.do), `{% break %}` / `{% continue %}` (jinja2.ext.loopcontrols),
//   both enabled by dbt;
// - `{% set a, b = 1, 2 %}` unpacks; `{% set x -%}` trims the whitespace after it;
// - `{% for x in d %}` over a dict iterates its keys; `{% for x in xs if cond %}` filters the items.
import nunjucks from 'nunjucks';

const nj = nunjucks as unknown as { parser: { Parser: any }; nodes: any; lexer: any };
const { nodes, lexer } = nj;
const P = nj.parser.Parser.prototype;

/** `*x` (double: `**x`) in a call's argument list. */
export const StarArg = nodes.Node.extend('J2StarArg', { fields: ['value', 'double'] });
/** `{% do expr %}`: evaluate, print nothing. */
export const Do = nodes.Node.extend('J2Do', { fields: ['expr'] });
/** `{% break %}` / `{% continue %}`. */
export const LoopControl = nodes.Node.extend('J2LoopControl', { fields: ['kind'] });
/** `{% for x in items if cond %}`: the items for which `cond` holds with the loop's names bound. */
export const LoopFilter = nodes.Node.extend('J2LoopFilter', { fields: ['target', 'names', 'cond'] });
/** `{% with a = 1, b = 2 %}...{% endwith %}`: names for the body only. */
export const With = nodes.Node.extend('J2With', { fields: ['pairs', 'body'] });
/** The iterable of a one-target for loop (a dict iterates its keys). */
export const ForIter = nodes.Node.extend('J2ForIter', { fields: ['target'] });

const TEST_ARG_STARTS = new Set([lexer.TOKEN_STRING, lexer.TOKEN_INT, lexer.TOKEN_FLOAT, lexer.TOKEN_BOOLEAN, lexer.TOKEN_NONE, lexer.TOKEN_SYMBOL, lexer.TOKEN_LEFT_BRACKET, lexer.TOKEN_LEFT_CURLY]);
const CLOSERS = new Set([lexer.TOKEN_RIGHT_PAREN, lexer.TOKEN_RIGHT_BRACKET, lexer.TOKEN_RIGHT_CURLY]);

let installed = false;

export function installJinja2Parser(): void {
  if (installed) return;
  installed = true;

  // Jinja2's lexer reads no end tag while a bracket is open, so `{{ {'a': {'b': 1}} }}` closes the
  // inner dicts with `}}`; nunjucks' would end the expression there.
  const Tokenizer = Object.getPrototypeOf(lexer.lex('')) as any;
  const nextToken = Tokenizer.nextToken;
  Tokenizer.nextToken = function jinja2NextToken(this: any) {
    // The open-bracket count at each token start, so a parser that rewinds the tokenizer (nunjucks'
    // slice parsing does) gets the count of where it rewound to.
    const at: Map<number, number> = (this.__depthAt ??= new Map());
    if (this.index < (this.__maxIndex ?? 0)) this.__depth = at.get(this.index) ?? 0;
    else {
      at.set(this.index, this.__depth ?? 0);
      this.__maxIndex = this.index;
    }
    if (this.in_code && this.__depth > 0 && this.str.charAt(this.index) === '}') {
      const [lineno, colno] = [this.lineno, this.colno];
      this.forward();
      this.__depth--;
      return { type: lexer.TOKEN_RIGHT_CURLY, value: '}', lineno, colno };
    }
    const tok = nextToken.call(this);
    if (tok) {
      if (tok.type === lexer.TOKEN_LEFT_CURLY || tok.type === lexer.TOKEN_LEFT_BRACKET || tok.type === lexer.TOKEN_LEFT_PAREN) this.__depth = (this.__depth ?? 0) + 1;
      else if (CLOSERS.has(tok.type)) this.__depth = Math.max(0, (this.__depth ?? 0) - 1);
      else if (tok.type === lexer.TOKEN_VARIABLE_END || tok.type === lexer.TOKEN_BLOCK_END) this.__depth = 0;
    }
    return tok;
  };

  P.parseAggregate = function parseAggregate(this: any) {
    const tok = this.nextToken();
    let node: any;
    switch (tok.type) {
      case lexer.TOKEN_LEFT_PAREN: node = new nodes.Group(tok.lineno, tok.colno); break;
      case lexer.TOKEN_LEFT_BRACKET: node = new nodes.Array(tok.lineno, tok.colno); break;
      case lexer.TOKEN_LEFT_CURLY: node = new nodes.Dict(tok.lineno, tok.colno); break;
      default: return null;
    }
    let comma = false;
    for (;;) {
      if (CLOSERS.has(this.peekToken().type)) {
        this.nextToken();
        break;
      }
      if (node.children.length > 0) {
        if (!this.skip(lexer.TOKEN_COMMA)) this.fail('parseAggregate: expected comma after expression', tok.lineno, tok.colno);
        comma = true;
        if (CLOSERS.has(this.peekToken().type)) {
          this.nextToken();
          break;
        }
      }
      if (node instanceof nodes.Dict) {
        const key = this.parseExpression();
        if (!this.skip(lexer.TOKEN_COLON)) this.fail('parseAggregate: expected colon after dict key', tok.lineno, tok.colno);
        const value = this.parseExpression();
        node.addChild(new nodes.Pair(key.lineno, key.colno, key, value));
      } else node.addChild(this.parseExpression());
    }
    // `()`, `(a,)` and `(a, b)` are tuples; only `(a)` groups.
    if (node instanceof nodes.Group && (comma || node.children.length !== 1)) return new nodes.Array(tok.lineno, tok.colno, node.children);
    return node;
  };

  P.parseSignature = function parseSignature(this: any, tolerant: boolean, noParens: boolean) {
    let tok = this.peekToken();
    if (!noParens && tok.type !== lexer.TOKEN_LEFT_PAREN) {
      if (tolerant) return null;
      this.fail('expected arguments', tok.lineno, tok.colno);
    }
    if (tok.type === lexer.TOKEN_LEFT_PAREN) tok = this.nextToken();
    const args = new nodes.NodeList(tok.lineno, tok.colno);
    const kwargs = new nodes.KeywordArgs(tok.lineno, tok.colno);
    const atEnd = (t: any) => (noParens ? t.type === lexer.TOKEN_BLOCK_END : t.type === lexer.TOKEN_RIGHT_PAREN);
    let first = true;
    for (;;) {
      tok = this.peekToken();
      if (atEnd(tok)) break;
      if (!first) {
        if (!this.skip(lexer.TOKEN_COMMA)) this.fail('parseSignature: expected comma after expression', tok.lineno, tok.colno);
        tok = this.peekToken();
        if (atEnd(tok)) break; // a trailing comma
      }
      first = false;
      if (tok.type === lexer.TOKEN_OPERATOR && (tok.value === '*' || tok.value === '**')) {
        this.nextToken();
        args.addChild(new StarArg(tok.lineno, tok.colno, this.parseExpression(), tok.value === '**'));
        continue;
      }
      const arg = this.parseExpression();
      if (this.skipValue(lexer.TOKEN_OPERATOR, '=')) kwargs.addChild(new nodes.Pair(arg.lineno, arg.colno, arg, this.parseExpression()));
      else args.addChild(arg);
    }
    if (!noParens) this.nextToken();
    if (kwargs.children.length) args.addChild(kwargs);
    return args;
  };

  const parsePrimary = P.parsePrimary;
  P.parsePrimary = function jinja2Primary(this: any, noPostfix?: boolean) {
    const tok = this.peekToken();
    if (!tok || tok.type !== lexer.TOKEN_STRING) return parsePrimary.call(this, noPostfix);
    this.nextToken();
    let value = tok.value as string;
    for (let next = this.peekToken(); next && next.type === lexer.TOKEN_STRING; next = this.peekToken()) {
      this.nextToken();
      value += next.value;
    }
    const node = new nodes.Literal(tok.lineno, tok.colno, value);
    return noPostfix ? node : this.parsePostfix(node);
  };

  const parseStatement = P.parseStatement;
  P.parseStatement = function jinja2Statement(this: any) {
    const tok = this.peekToken();
    const name = tok && tok.type === lexer.TOKEN_SYMBOL ? (tok.value as string) : '';
    if ((name === 'do' || name === 'break' || name === 'continue') && !(this.breakOnBlocks && this.breakOnBlocks.includes(name))) {
      this.nextToken();
      if (name === 'do') {
        const expr = this.parseExpression();
        this.advanceAfterBlockEnd(name);
        return new Do(tok.lineno, tok.colno, expr);
      }
      this.advanceAfterBlockEnd(name);
      return new LoopControl(tok.lineno, tok.colno, name);
    }
    if (name === 'with' && !(this.breakOnBlocks && this.breakOnBlocks.includes(name))) {
      this.nextToken();
      const pairs: any[] = [];
      while (this.peekToken().type !== lexer.TOKEN_BLOCK_END) {
        if (pairs.length && !this.skip(lexer.TOKEN_COMMA)) this.fail('with: expected a comma between assignments', tok.lineno, tok.colno);
        const target = this.parsePrimary(true);
        if (!(target instanceof nodes.Symbol) || !this.skipValue(lexer.TOKEN_OPERATOR, '=')) this.fail('with: expected `name = value`', tok.lineno, tok.colno);
        pairs.push([target, this.parseExpression()]);
      }
      this.advanceAfterBlockEnd(name);
      const body = this.parseUntilBlocks('endwith');
      this.advanceAfterBlockEnd();
      return new With(tok.lineno, tok.colno, pairs, body);
    }
    return parseStatement.call(this);
  };

  // Jinja2's test arguments without parentheses: `x is divisibleby 3`, `x is sameas false`.
  const parseIs = P.parseIs;
  P.parseIs = function jinja2Is(this: any) {
    const node = parseIs.call(this);
    const is = node instanceof nodes.Not ? node.target : node;
    if (!(is instanceof nodes.Is) || !(is.right instanceof nodes.Symbol)) return node;
    const next = this.peekToken();
    if (!next || !TEST_ARG_STARTS.has(next.type) || (next.type === lexer.TOKEN_SYMBOL && ['and', 'or', 'else', 'if', 'in', 'is', 'not'].includes(next.value))) return node;
    is.right = new nodes.FunCall(is.right.lineno, is.right.colno, is.right, new nodes.NodeList(next.lineno, next.colno, [this.parsePrimary()]));
    return node;
  };

  // `{% set a, b = 1, 2 %}` (the value may be a bare tuple), and `{% set x -%}` trims as it says.
  P.parseSet = function jinja2Set(this: any) {
    const tag = this.peekToken();
    if (!this.skipSymbol('set')) this.fail('parseSet: expected set', tag.lineno, tag.colno);
    const node = new nodes.Set(tag.lineno, tag.colno, []);
    for (let target; (target = this.parsePrimary()); ) {
      node.targets.push(target);
      if (!this.skip(lexer.TOKEN_COMMA)) break;
    }
    if (this.skipValue(lexer.TOKEN_OPERATOR, '=')) {
      let value = this.parseExpression();
      if (this.peekToken().type === lexer.TOKEN_COMMA) {
        const items = [value];
        while (this.skip(lexer.TOKEN_COMMA) && this.peekToken().type !== lexer.TOKEN_BLOCK_END) items.push(this.parseExpression());
        value = new nodes.Array(value.lineno, value.colno, items);
      }
      node.value = value;
      this.advanceAfterBlockEnd(tag.value);
      return node;
    }
    const end = this.nextToken();
    if (!end || end.type !== lexer.TOKEN_BLOCK_END) this.fail('parseSet: expected = or block end in set tag', tag.lineno, tag.colno);
    if (end.value.charAt(0) === '-') this.dropLeadingWhitespace = true;
    node.body = new nodes.Capture(tag.lineno, tag.colno, this.parseUntilBlocks('endset'));
    node.value = null;
    this.advanceAfterBlockEnd();
    return node;
  };

  const parseFor = P.parseFor;
  P.parseFor = function jinja2For(this: any) {
    const node = parseFor.call(this);
    if (node.arr instanceof nodes.InlineIf && node.arr.else_ === null) {
      // Jinja2's loop filter (nunjucks would read an inline if): the items for which it holds,
      // before the loop counts them.
      node.arr = new LoopFilter(node.arr.lineno, node.arr.colno, node.arr.body, node.name, node.arr.cond);
    }
    if (node.typename === 'For' && node.name instanceof nodes.Symbol) {
      node.arr = new ForIter(node.arr.lineno, node.arr.colno, node.arr);
    }
    return node;
  };
}
