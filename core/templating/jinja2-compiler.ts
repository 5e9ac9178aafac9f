// Code generation for Jinja2's semantics where nunjucks' compiler differs (the why of patching
// nunjucks is in jinja2-parser.ts). The generated code calls the helpers of jinja2-runtime.ts as
// `runtime.__j2.*`:
// - macros bind arguments as Jinja2 does (`varargs`, `kwargs`, errors for extra arguments) and end
//   at dbt's `return()` with its value, whatever its type;
// - `{% set ns.attr = v %}` assigns a namespace attribute; a `{% set %}` inside a for loop does not
//   leak out of it (Jinja2's scoping, the reason `namespace()` exists);
// - conditions use Python's truth (empty lists, dicts and macro output are false), `and`/`or`
//   return an operand, `==` and `in` compare as Python does, `+` joins lists, `*` repeats strings
//   and lists, `%` formats strings, `~` and `{{ }}` print Python's str();
// - `{% set a, b = x %}` unpacks;
// - calls with `*args`/`**kwargs`, dicts with expression keys, `do`, `break`, `continue`, `with`,
//   loop filters, `loop.cycle()` / `loop.previtem` / `loop.nextitem`.
import nunjucks from 'nunjucks';
import { Do, ForIter, LoopControl, LoopFilter, StarArg, With } from './jinja2-parser.js';

const nj = nunjucks as unknown as { compiler: { Compiler: any }; nodes: any; runtime: { Frame: any } };
const { nodes } = nj;
const C = nj.compiler.Compiler.prototype;
const J = 'runtime.__j2';
/** A condition, tested with Python's truth. */
const Truth = nodes.Node.extend('J2Truth', { fields: ['target'] });
const truthNode = (n: any) => new Truth(n.lineno, n.colno, n);
/** Generated JavaScript standing for a value (an unpacked item). */
const Raw = nodes.Node.extend('J2Raw', { fields: ['code'] });

let installed = false;

export function installJinja2Compiler(): void {
  if (installed) return;
  installed = true;

  const assertType = C.assertType;
  C.assertType = function (this: any, node: any, ...types: any[]) {
    if ([ForIter, LoopFilter, With, StarArg, Truth, Raw].some((t) => node instanceof t)) return;
    return assertType.call(this, node, ...types);
  };

  C.compileJ2StarArg = function (this: any, node: any, frame: any) {
    this._emit(`${J}.${node.double ? 'starStar' : 'star'}(`);
    this._compileExpression(node.value, frame);
    this._emit(')');
  };

  const compileFunCall = C.compileFunCall;
  C.compileFunCall = function (this: any, node: any, frame: any) {
    if (!node.args.children.some((a: any) => a instanceof StarArg)) return compileFunCall.call(this, node, frame);
    this._emit(`(lineno = ${node.lineno}, colno = ${node.colno}, runtime.callWrap(`);
    this._compileExpression(node.name, frame);
    this._emit(`, ${JSON.stringify(this._getNodeName(node.name))}, context, ${J}.spread(`);
    this._compileAggregate(node.args, frame, '[', ']');
    this._emit(')))');
  };

  C.compileJ2Do = function (this: any, node: any, frame: any) {
    this._emit('void (');
    this._compileExpression(node.expr, frame);
    this._emitLine(');');
  };

  C.compileJ2LoopControl = function (this: any, node: any) {
    if (!this.__j2loop) this.fail(`\`{% ${node.kind} %}\` outside a for loop`, node.lineno, node.colno);
    this._emitLine(`${node.kind};`);
  };

  C.compileJ2ForIter = function (this: any, node: any, frame: any) {
    this._emit(`${J}.forIter(`);
    this._compileExpression(node.target, frame);
    this._emit(')');
  };

  C.compileJ2LoopFilter = function (this: any, node: any, frame: any) {
    const item = this._tmpid();
    const inner = frame.push();
    const names = node.names instanceof nodes.Array ? node.names.children : [node.names];
    this._emit(`${J}.loopFilter(`);
    this._compileExpression(node.target, frame);
    this._emit(`, function (${item}) { `);
    names.forEach((n: any, i: number) => {
      const id = this._tmpid();
      this._emit(`var ${id} = ${names.length > 1 ? `${item}[${i}]` : item}; `);
      inner.set(n.value, id);
    });
    this._emit(`return ${J}.truth(`);
    this._compileExpression(node.cond, inner);
    this._emit('); })');
  };

  // Keys are expressions (a bare name is a variable); parenthesized so `{% do {...} %}` is no block.
  C.compileDict = function (this: any, node: any, frame: any) {
    this._emit('({');
    node.children.forEach((pair: any, i: number) => {
      if (i > 0) this._emit(',');
      this._emit('[');
      this._compileExpression(pair.key, frame);
      this._emit(']: ');
      this._compileExpression(pair.value, frame);
    });
    this._emit('})');
  };

  // Keyword arguments keep their names as written.
  C.compileKeywordArgs = function (this: any, node: any, frame: any) {
    this._emit('runtime.makeKeywordArgs({');
    node.children.forEach((pair: any, i: number) => {
      if (i > 0) this._emit(',');
      this._emit(`${JSON.stringify(pair.key.value)}: `);
      this._compileExpression(pair.value, frame);
    });
    this._emit('})');
  };

  const compileIf = C.compileIf;
  C.compileIf = function (this: any, node: any, frame: any, async: boolean) {
    const cond = node.cond;
    node.cond = truthNode(cond);
    try {
      return compileIf.call(this, node, frame, async);
    } finally {
      node.cond = cond;
    }
  };
  C.compileJ2Raw = function (this: any, node: any) {
    this._emit(node.code);
  };
  C.compileJ2Truth = function (this: any, node: any, frame: any) {
    this._emit(`${J}.truth(`);
    this.compile(node.target, frame);
    this._emit(')');
  };
  C.compileInlineIf = function (this: any, node: any, frame: any) {
    this._emit(`(${J}.truth(`);
    this.compile(node.cond, frame);
    this._emit(') ? ');
    this.compile(node.body, frame);
    this._emit(' : ');
    if (node.else_ !== null) this.compile(node.else_, frame);
    else this._emit('undefined');
    this._emit(')');
  };
  C.compileNot = function (this: any, node: any, frame: any) {
    this._emit(`!${J}.truth(`);
    this.compile(node.target, frame);
    this._emit(')');
  };
  // `a or b` is a if a is true else b; `a and b` is b if a is true else a. `hold` keeps its argument
  // in one slot read right after it returns, before anything else can overwrite it.
  C.compileOr = function (this: any, node: any, frame: any) {
    this._emit(`(${J}.hold(`);
    this.compile(node.left, frame);
    this._emit(`) ? ${J}.held : `);
    this.compile(node.right, frame);
    this._emit(')');
  };
  C.compileAnd = function (this: any, node: any, frame: any) {
    this._emit(`(!${J}.hold(`);
    this.compile(node.left, frame);
    this._emit(`) ? ${J}.held : `);
    this.compile(node.right, frame);
    this._emit(')');
  };
  C.compileAdd = function (this: any, node: any, frame: any) {
    this._emit(`${J}.add(`);
    this.compile(node.left, frame);
    this._emit(', ');
    this.compile(node.right, frame);
    this._emit(')');
  };
  C.compileCompare = function (this: any, node: any, frame: any) {
    this._emit(`${J}.compare(`);
    this.compile(node.expr, frame);
    for (const op of node.ops) {
      this._emit(`, ${JSON.stringify(op.type)}, `);
      this.compile(op.expr, frame);
    }
    this._emit(')');
  };
  C.compileMul = function (this: any, node: any, frame: any) {
    this._emit(`${J}.mul(`);
    this.compile(node.left, frame);
    this._emit(', ');
    this.compile(node.right, frame);
    this._emit(')');
  };
  C.compileMod = function (this: any, node: any, frame: any) {
    this._emit(`${J}.mod(`);
    this.compile(node.left, frame);
    this._emit(', ');
    this.compile(node.right, frame);
    this._emit(')');
  };
  C.compileConcat = function (this: any, node: any, frame: any) {
    this._emit(`(${J}.str(`);
    this.compile(node.left, frame);
    this._emit(`) + ${J}.str(`);
    this.compile(node.right, frame);
    this._emit('))');
  };

  // `__j2loop` counts the loops around (for `break`), `__j2scope` the scopes a set stays in.
  const compileFor = C.compileFor;
  C.compileFor = function (this: any, node: any, frame: any) {
    this.__j2loop = (this.__j2loop ?? 0) + 1;
    this.__j2scope = (this.__j2scope ?? 0) + 1;
    try {
      return compileFor.call(this, node, frame);
    } finally {
      this.__j2loop--;
      this.__j2scope--;
    }
  };
  C.compileJ2With = function (this: any, node: any, frame: any) {
    // Values are read in the outer scope, all before any name is bound.
    const ids = node.pairs.map(([, value]: any) => {
      const id = this._tmpid();
      this._emit(`var ${id} = `);
      this._compileExpression(value, frame);
      this._emitLine(';');
      return id;
    });
    const inner = frame.push();
    this._emitLine('frame = frame.push();');
    node.pairs.forEach(([name]: any, i: number) => {
      inner.set(name.value, ids[i]);
      this._emitLine(`frame.set(${JSON.stringify(name.value)}, ${ids[i]});`);
    });
    this.__j2scope = (this.__j2scope ?? 0) + 1;
    try {
      this.compile(node.body, inner);
    } finally {
      this.__j2scope--;
    }
    this._emitLine('frame = frame.pop();');
  };
  const emitLoopBindings = C._emitLoopBindings;
  C._emitLoopBindings = function (this: any, node: any, arr: string, i: string, len: string) {
    emitLoopBindings.call(this, node, arr, i, len);
    this._emitLine(`frame.set("loop.cycle", ${J}.cycler(${i}));`);
    this._emitLine(`frame.set("loop.previtem", ${i} > 0 ? ${arr}[${i} - 1] : undefined);`);
    this._emitLine(`frame.set("loop.nextitem", ${arr}[${i} + 1]);`);
    this._emitLine('frame.set("loop.depth", 1); frame.set("loop.depth0", 0);');
  };

  const compileSet = C.compileSet;
  C.compileSet = function (this: any, node: any, frame: any) {
    const attr = node.targets.find((t: any) => t instanceof nodes.LookupVal);
    if (attr) {
      if (node.targets.length !== 1 || !node.value || !(attr.val instanceof nodes.Literal)) {
        this.fail('only `{% set ns.attr = value %}` can assign an attribute', node.lineno, node.colno);
      }
      this._emit(`${J}.setAttr(`);
      this._compileExpression(attr.target, frame);
      this._emit(`, ${JSON.stringify(attr.val.value)}, `);
      this._compileExpression(node.value, frame);
      this._emitLine(');');
      return;
    }
    if (node.targets.length > 1 && node.value) {
      // `{% set a, b = 1, 2 %}`: unpack into each name, one assignment each.
      const tmp = this._tmpid();
      this._emit(`var ${tmp} = ${J}.unpack(`);
      this._compileExpression(node.value, frame);
      this._emitLine(`, ${node.targets.length});`);
      node.targets.forEach((t: any, i: number) => {
        this.compileSet(new nodes.Set(node.lineno, node.colno, [t], new Raw(node.lineno, node.colno, `${tmp}[${i}]`)), frame);
      });
      return;
    }
    if (!this.__j2scope) return compileSet.call(this, node, frame);
    // Inside a loop or `with`: a new variable of that scope, even when an outer one has the name.
    const ids = node.targets.map(() => this._tmpid());
    for (const id of ids) this._emitLine(`var ${id};`);
    this._emit(`${ids.join(' = ')} = `);
    if (node.value) this._compileExpression(node.value, frame);
    else this.compile(node.body, frame);
    this._emitLine(';');
    node.targets.forEach((t: any, i: number) => {
      frame.set(t.value, ids[i]);
      this._emitLine(`frame.set(${JSON.stringify(t.value)}, ${ids[i]});`);
    });
  };

  // A call's name goes into the generated code as a string for error messages, and nunjucks puts a
  // string literal in raw: `'two\nlines'.format(x)` (dbt_utils' surrogate_key.sql) made the whole
  // macro file invalid JavaScript. Escape what a JS string cannot hold.
  const getNodeName = C._getNodeName;
  C._getNodeName = function (this: any, node: any) {
    const name = getNodeName.call(this, node);
    return node instanceof nodes.Literal && typeof name === 'string'
      ? name.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
      : name;
  };

  // dbt registers every macro of a file by name, `_private` ones too (dbt_utils calls
  // `dbt_utils._is_relation(...)`); nunjucks, like Jinja2's `import`, leaves names starting with `_`
  // out of a template's exports, which is how cairn collects a file's macros.
  const compileMacro = C.compileMacro;
  C.compileMacro = function (this: any, node: any, frame: any) {
    compileMacro.call(this, node, frame);
    const name = node.name.value as string;
    if (!frame.parent && name.startsWith('_')) this._emitLine(`context.addExport(${JSON.stringify(name)});`);
  };

  C._compileMacro = function (this: any, node: any, frame: any) {
    const isCaller = node instanceof nodes.Caller;
    const name: string = isCaller ? 'caller' : node.name.value;
    const params: Array<{ name: string; dflt?: any }> = [];
    node.args.children.forEach((arg: any, i: number) => {
      if (i === node.args.children.length - 1 && arg instanceof nodes.Dict) {
        for (const pair of arg.children) params.push({ name: pair.key.value, dflt: pair.value });
      } else if (arg instanceof StarArg) {
        this.fail(`macro \`${name}\`: Jinja2 macros do not declare \`*args\`/\`**kwargs\`; read \`varargs\` and \`kwargs\` in the body instead`, arg.lineno, arg.colno);
      } else {
        this.assertType(arg, nodes.Symbol);
        params.push({ name: arg.value });
      }
    });
    const read = new Set(node.body.findAll(nodes.Symbol).map((s: any) => s.value));
    const funcId = `macro_${this._tmpid()}`;
    const keepFrame = frame !== undefined;
    const currFrame = keepFrame ? frame.push(true) : new nj.runtime.Frame();
    const [given, va, kw, caller] = [this._tmpid(), this._tmpid(), this._tmpid(), this._tmpid()];
    const realNames = params.map((p) => `l_${p.name}`);
    this._emitLines(
      `var ${funcId} = ${J}.macro(${JSON.stringify(name)}, ${JSON.stringify(params.map((p) => p.name))}, ${read.has('varargs')}, ${read.has('kwargs')}, ${!isCaller}, function (${[...realNames, given, va, kw, caller].join(', ')}) {`,
      'var callerFrame = frame;',
      `frame = ${keepFrame ? 'frame.push(true);' : 'new runtime.Frame();'}`,
      'try {',
    );
    params.forEach((p, i) => {
      if (p.dflt) {
        this._emit(`if (!${given}[${i}]) l_${p.name} = `);
        this._compileExpression(p.dflt, currFrame);
        this._emitLine(';');
      }
      this._emitLine(`frame.set(${JSON.stringify(p.name)}, l_${p.name});`);
      currFrame.set(p.name, `l_${p.name}`);
    });
    this._emitLine(`frame.set("varargs", ${va}); frame.set("kwargs", ${kw});`);
    currFrame.set('varargs', va);
    currFrame.set('kwargs', kw);
    this._emitLine(`if (${caller} !== undefined) frame.set("caller", ${caller});`);
    const [loops, scopes] = [this.__j2loop, this.__j2scope];
    this.__j2loop = this.__j2scope = 0;
    const bufferId = this._pushBuffer();
    this._withScopedSyntax(() => this.compile(node.body, currFrame));
    this._emitLine(`return new runtime.SafeString(${bufferId});`);
    this._emitLine('} finally { frame = callerFrame; }');
    this._emitLine('});');
    this._popBuffer();
    [this.__j2loop, this.__j2scope] = [loops, scopes];
    return funcId;
  };
}


export { Do, LoopControl };
