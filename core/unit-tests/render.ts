// The model under test rendered against its fixtures: every ref()/source() it reads (and `this`)
// becomes a CTE holding the given rows, with vars, env vars and macros (e.g. is_incremental)
// overridden as the test says. Nothing upstream is built or read.
import type { Relation } from '../../adapters/adapter.js';
import { proxyFor } from '../compile/compile-node.js';
import { injectCtes } from '../compile/ephemeral.js';
import { compileScope } from '../compile/node-scope.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { CairnError } from '../errors.js';
import { renderTemplate } from '../templating/render.js';
import { fixtureSql, inputColumns } from './fixtures.js';
import { inputLabel, type InputKey, type UnitTestSpec } from './parse.js';

export function cteFor(k: InputKey): string {
  return k.kind === 'this' ? '__cairn_unit__this' : k.kind === 'ref' ? `__cairn_unit__${k.name}` : `__cairn_unit__${k.source}__${k.table}`;
}

/** Runs `fn` with some template globals (project macros) and env vars replaced, then restores them. */
function withOverrides<T>(p: ParsedProject, macros: Record<string, unknown>, envVars: Record<string, unknown>, fn: () => T): T {
  const globals = (p.ctx.tenv.env as unknown as { globals: Record<string, unknown> }).globals;
  const saved: Array<[string, PropertyDescriptor | undefined]> = [];
  const savedEnv: Array<[string, string | undefined]> = [];
  try {
    for (const [name, value] of Object.entries(macros)) {
      if (name === 'is_incremental') continue;
      saved.push([name, Object.getOwnPropertyDescriptor(globals, name)]);
      Object.defineProperty(globals, name, { value: () => value, writable: true, enumerable: true, configurable: true });
    }
    for (const [name, value] of Object.entries(envVars)) {
      savedEnv.push([name, process.env[name]]);
      process.env[name] = String(value);
    }
    return fn();
  } finally {
    for (const [name, d] of saved.reverse()) {
      if (d) Object.defineProperty(globals, name, d);
      else delete globals[name];
    }
    for (const [name, v] of savedEnv.reverse()) {
      if (v === undefined) delete process.env[name];
      else process.env[name] = v;
    }
  }
}

/** `types`: per input label, column → engine type (from the real relation when it exists). */
export function unitTestSql(p: ParsedProject, spec: UnitTestSpec, types: ReadonlyMap<string, ReadonlyMap<string, string>>, lenientThis = false): string {
  const model = p.nodes.get(spec.model)!;
  const template = p.templates.get(model.uniqueId);
  if (!template) throw new CairnError('INTERNAL', `no template for ${model.uniqueId}`);
  const d = p.ctx.dialect;
  const cte = (k: InputKey): Relation => ({ schema: '', identifier: cteFor(k) });
  const given = new Map(spec.given.map((g) => [cteFor(g.key), g]));
  const need = (k: InputKey) => {
    if (!given.has(cteFor(k)) && !(lenientThis && k.kind === 'this')) {
      throw new CairnError('CONFIG_INVALID', `unit test of \`${model.name}\`: the model reads ${inputLabel(k)}, which has no \`given\` input`, { file: spec.file, line: spec.line, hint: `add - input: ${inputLabel(k)}` });
    }
    return proxyFor(p, cte(k));
  };
  const ctx = { ...p.ctx, cliVars: { ...p.ctx.cliVars, ...spec.overrides.vars } };
  const isIncremental = spec.overrides.macros.is_incremental === true || spec.overrides.macros.is_incremental === 'true';
  const hasThis = given.has(cteFor({ kind: 'this' }));
  const body = withOverrides(p, spec.overrides.macros, spec.overrides.envVars, () =>
    renderTemplate(ctx.tenv, template, compileScope(ctx, model, {
      resolveRef: (call) => need({ kind: 'ref', name: call.name }),
      resolveSource: (s, t) => need({ kind: 'source', source: s, table: t }),
      thisRelation: hasThis ? proxyFor(p, cte({ kind: 'this' })) : proxyFor(p, model.relation ?? { schema: p.ctx.target.schema, identifier: model.name }),
      isIncremental,
      config: model.config,
    }), model.name));
  const ctes = spec.given.map((g) => [cteFor(g.key), fixtureSql(d, g.fixture, types.get(g.input), inputColumns(g.fixture, types.get(g.input)))] as const);
  return injectCtes(body, ctes);
}
