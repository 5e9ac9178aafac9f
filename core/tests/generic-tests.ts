// Parse pass for generic data tests: every `tests:`/`data_tests:` entry of schema YAML (on models,
// seeds, snapshots, their columns, and source tables) becomes a `test` node whose SQL is a call of
// the test macro, e.g. `{{ test_unique(model=ref('orders'), column_name="order_id") }}`.
import type { CompileContext } from '../compile/context.js';
import { resolveRefTarget, type ParsedProject } from '../compile/parse-project.js';
import { checksum } from '../compile/parse-models.js';
import { CairnError, CairnErrors, isCairnError, addError } from '../errors.js';
import { mergeConfig } from '../project/node-config.js';
import { ownerFolderConfig, ownerOf } from '../packages/owner.js';
import { lineOf, type YamlFile } from '../project/yaml-file.js';
import type { ProjectNode } from '../project/types.js';
import { compileTemplate, lazyTemplate } from '../templating/render.js';
import { didYouMean } from '../util/did-you-mean.js';
import { BUILTIN_ARGS, registerBuiltinTests } from './builtin-tests.js';
import { parseTestEntry, shortHash, synthesizeName, toJinjaLiteral, type TestSpec } from './test-spec.js';
import { captureTestDeps, finishTestNode } from './test-node.js';

interface Target {
  /** Node tested (model/seed/snapshot) or the source node. */
  node: ProjectNode;
  /** For the node name: model name or `<source>_<table>`. */
  label: string;
  /** Jinja for the tested relation. */
  expr: string;
}

interface Entry {
  raw: unknown;
  file: string;
  line?: number;
  column?: string;
  target: Target;
  yamlPath: Array<string | number>;
}

export function parseGenericTests(p: ParsedProject, errors: CairnError[]): void {
  const ctx = p.ctx;
  const userTests = new Set(ctx.tenv.macroNames().filter((n) => n.startsWith('test_')).map((n) => n.slice(5)));
  registerBuiltinTests(ctx.tenv);
  const known = new Set([...Object.keys(BUILTIN_ARGS), ...userTests]);
  // Generic tests depend only on the project-wide inputs (YAML, macros, config, target, vars: the
  // partial-parse key) and on which nodes exist: when neither changed, they come from the cache.
  const key = p.partialParse ? checksum(`${p.partialParse.projectKey}\n${[...ctx.nodes.values()].map((n) => `${n.uniqueId}|${n.fqn.join('.')}`).join('\n')}`) : undefined;
  const cached = key ? (p.partialParse!.lookupBlob('generic_tests', key) as ProjectNode[] | undefined) : undefined;
  if (cached) {
    for (const node of cached) {
      ctx.nodes.set(node.uniqueId, node);
      p.templates.set(node.uniqueId, lazyTemplate(node.originalFilePath, node.rawCode));
    }
    return;
  }
  const entries: Entry[] = [];
  const before = errors.length;
  for (const yf of p.loaded.schema.files) collectEntries(p, yf, entries, errors);
  const seen = new Set<string>();
  const built: ProjectNode[] = [];
  for (const e of entries) {
    try {
      const node = buildTestNode(p, e, known);
      if (!node) continue;
      if (seen.has(node.uniqueId)) continue;
      seen.add(node.uniqueId);
      ctx.nodes.set(node.uniqueId, node);
      built.push(node);
    } catch (err) {
      addError(errors, err);
    }
  }
  if (key && errors.length === before) p.partialParse!.storeBlob('generic_tests', key, built);
}

function collectEntries(p: ParsedProject, yf: YamlFile<Record<string, unknown>>, out: Entry[], errors: CairnError[]): void {
  const ctx = p.ctx;
  const add = (list: unknown, base: Array<string | number>, key: string, target: Target, column?: string) => {
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) {
      errors.push(new CairnError('CONFIG_INVALID', `\`${key}\` must be a list of tests`, { file: yf.file, line: lineOf(yf, [...base, key]) }));
      return;
    }
    // `line` is a getter: locating YAML nodes builds a full Document, so it happens only for errors.
    list.forEach((raw, i) => out.push({ raw, file: yf.file, get line() { return lineOf(yf, [...base, key, i]); }, column, target, yamlPath: [...base, key, i] }));
  };
  const addAll = (obj: Record<string, unknown>, base: Array<string | number>, target: Target) => {
    for (const key of ['data_tests', 'tests']) add(obj[key], base, key, target);
    const cols = obj.columns;
    if (Array.isArray(cols)) {
      cols.forEach((c, ci) => {
        if (!c || typeof c !== 'object' || typeof (c as { name?: unknown }).name !== 'string') return;
        const col = c as Record<string, unknown>;
        const colName = col.quote === true ? ctx.dialect.quoteIdentifier(String(col.name)) : String(col.name);
        for (const key of ['data_tests', 'tests']) add(col[key], [...base, 'columns', ci], key, target, colName);
      });
    }
  };
  for (const kind of ['models', 'seeds', 'snapshots'] as const) {
    const list = yf.value[kind];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, index) => {
      if (!entry || typeof entry !== 'object' || typeof (entry as { name?: unknown }).name !== 'string') return;
      const e = entry as Record<string, unknown>;
      const name = e.name as string;
      const hasTests = hasAnyTests(e);
      if (!hasTests) return;
      const ids = ctx.refIndex.get(name);
      // YAML of a package describes that package's nodes.
      const owner = ctx.packages ? ownerOf(ctx, yf.file).name : undefined;
      const id = ids && (ids.length > 1 && owner ? ids.find((x) => ctx.nodes.get(x)?.packageName === owner) ?? ids[0] : ids[0]);
      const node = id ? ctx.nodes.get(id) : undefined;
      if (!node) {
        if (e.config && typeof e.config === 'object' && (e.config as { enabled?: unknown }).enabled === false) return;
        const broken = ctx.unparsed?.get(name);
        if (broken) {
          errors.push(new CairnError('REF_NOT_FOUND', `tests in schema YAML are attached to ${kind.slice(0, -1)} \`${name}\`, which did not parse (its error is reported for ${broken})`, {
            file: yf.file, line: lineOf(yf, [kind, index]), hint: `fix ${broken} first`,
          }));
          return;
        }
        errors.push(new CairnError('REF_NOT_FOUND', `tests in schema YAML are attached to ${kind.slice(0, -1)} \`${name}\`, which does not exist`, {
          file: yf.file, line: lineOf(yf, [kind, index]), hint: didYouMean(name, ctx.refIndex.keys()) ?? `create ${kind}/${name}.sql or fix the name`,
        }));
        return;
      }
      addAll(e, [kind, index], { node, label: node.name, expr: `ref(${JSON.stringify(node.name)})` });
    });
  }
  const sources = yf.value.sources;
  if (Array.isArray(sources)) {
    sources.forEach((src: Record<string, unknown>, si) => {
      if (!src || typeof src.name !== 'string' || !Array.isArray(src.tables)) return;
      (src.tables as Array<Record<string, unknown>>).forEach((t, ti) => {
        if (!t || typeof t.name !== 'string') return;
        const s = ctx.sources.get(`${src.name}.${t.name}`);
        const node = s ? ctx.nodes.get(s.uniqueId) : undefined;
        if (!node) return;
        addAll(t, ['sources', si, 'tables', ti], { node, label: `${src.name}_${t.name}`, expr: `source(${JSON.stringify(src.name)}, ${JSON.stringify(t.name)})` });
      });
    });
  }
}

function hasAnyTests(e: Record<string, unknown>): boolean {
  if (e.tests || e.data_tests) return true;
  return Array.isArray(e.columns) && e.columns.some((c) => c && typeof c === 'object' && ((c as Record<string, unknown>).tests || (c as Record<string, unknown>).data_tests));
}

/** Parameters of a project test macro without a default (besides model and column_name). */
function requiredArgs(p: ParsedProject, testName: string, pkg?: string): { required: string[]; all: string[] } | undefined {
  const info = pkg ? p.ctx.packageMacros?.get(pkg)?.get(`test_${testName}`) : p.macros.get(`test_${testName}`);
  if (!info) return BUILTIN_ARGS[testName] ? { required: BUILTIN_ARGS[testName]!.required, all: [...BUILTIN_ARGS[testName]!.required, ...BUILTIN_ARGS[testName]!.optional] } : undefined;
  const sig = /\(([^)]*)\)/.exec(info.body)?.[1] ?? '';
  const params = sig.split(',').map((s) => s.trim()).filter(Boolean);
  const all = params.map((s) => s.split('=')[0]!.trim()).filter((n) => n !== 'model' && n !== 'column_name' && !n.startsWith('*'));
  return { required: params.filter((s) => !s.includes('=')).map((s) => s.trim()).filter((n) => n !== 'model' && n !== 'column_name' && !n.startsWith('*')), all };
}

function buildTestNode(p: ParsedProject, e: Entry, known: Set<string>): ProjectNode | undefined {
  const ctx = p.ctx;
  const parsed = parseTestEntry(e.raw);
  const loc = { file: e.file, get line() { return e.line; }, node: e.target.node.name };
  if (typeof parsed === 'string') throw new CairnError('CONFIG_INVALID', parsed, loc);
  const spec: TestSpec = { ...parsed, columnName: parsed.columnName ?? e.column };
  const owner = ownerOf(ctx, e.file);
  // Where the test macro lives: the package named by `pkg.test_name`, else the YAML's own package
  // (which sees the root's tests too), else the root project.
  const macroPkg = testMacroPackage(p, spec, owner.name, loc);
  const sig = requiredArgs(p, spec.testName, macroPkg);
  for (const r of sig?.required ?? []) {
    if (!(r in spec.args)) {
      throw new CairnError('CONFIG_INVALID', `test \`${spec.testName}\` needs the argument \`${r}\``, {
        ...loc,
        hint: spec.testName === 'relationships' ? 'e.g. relationships: {to: ref(\'customers\'), field: id}' : `add \`${r}: ...\` under the test`,
      });
    }
  }
  let cfg = mergeConfig({ severity: 'ERROR', enabled: true }, ownerFolderConfig(ctx, owner, 'tests', e.target.node.fqn.slice(1)));
  cfg = mergeConfig(cfg, spec.config);
  if (cfg.enabled === false) return undefined;
  const name = spec.customName ?? synthesizeName(spec, e.target.label);
  const kwargs: string[] = [];
  if (spec.columnName !== undefined) kwargs.push(`column_name=${JSON.stringify(spec.columnName)}`);
  for (const [k, v] of Object.entries(spec.args)) kwargs.push(`${k}=${toJinjaLiteral(v)}`);
  const where = cfg.where !== undefined && cfg.where !== null ? String(cfg.where) : undefined;
  const call = `${spec.namespace && macroPkg ? macroPkg + '.' : ''}test_${spec.testName}(model=${where ? '__dbt_model' : e.target.expr}${kwargs.length ? ', ' + kwargs.join(', ') : ''})`;
  const raw = (where ? `{%- set __dbt_model -%}(select * from {{ ${e.target.expr} }} where ${where}) dbt_subquery{%- endset -%}\n` : '') + `{{ ${call} }}`;
  const node: ProjectNode = {
    uniqueId: `test.${owner.name}.${name}.${shortHash(`${e.file}:${e.yamlPath.join('.')}:${name}`)}`,
    name, resourceType: 'test', packageName: owner.name,
    originalFilePath: e.file, path: `${name.length > 63 ? name.slice(0, 30) + '_' + shortHash(name) : name}.sql`,
    fqn: [owner.name, ...e.target.node.fqn.slice(1, -1), name], rawCode: raw, checksum: checksum(raw),
    config: cfg, description: '', columns: {}, meta: {}, tags: [], refs: [], sources: [], dependsOn: { nodes: [], macros: [`macro.${macroPkg ?? owner.name}.test_${spec.testName}`] },
    extra: {
      testType: 'generic', testName: spec.testName, column_name: spec.columnName ?? null, attached_node: e.target.node.resourceType === 'source' ? null : e.target.node.uniqueId,
      test_metadata: { name: spec.testName, kwargs: { column_name: spec.columnName, ...spec.args }, namespace: spec.namespace ?? null },
      file_key_name: `${e.yamlPath[0]}.${e.target.node.name}`,
    },
  };
  const template = compileTemplate(ctx.tenv, raw, e.file);
  try {
    captureTestDeps(p, node, template);
  } catch (err) {
    throw relocate(err, e);
  }
  finishTestNode(ctx, node);
  p.templates.set(node.uniqueId, template);
  return node;
}

/**
 * The package whose `test_<name>` macro runs the test (undefined: the environment of the YAML file,
 * which holds the root's tests and builtins). An unknown test is an error naming what exists.
 */
function testMacroPackage(p: ParsedProject, spec: TestSpec, owner: string, loc: { file: string; line?: number; node: string }): string | undefined {
  const ctx = p.ctx;
  const macro = `test_${spec.testName}`;
  const ns = spec.namespace;
  if (ns && ns !== ctx.project.name) {
    const pkg = ctx.packageMacros?.get(ns);
    if (pkg?.has(macro)) return ns;
    throw new CairnError('CONFIG_INVALID', `unknown generic test \`${ns}.${spec.testName}\``, {
      ...loc,
      hint: pkg
        ? didYouMean(macro, pkg.keys())?.replace(/test_/g, '') ?? `package \`${ns}\` defines no test \`${spec.testName}\``
        : `no package \`${ns}\` is installed; add it to packages.yml and run \`cairn deps\``,
    });
  }
  const env = ctx.tenv.forFile(loc.file);
  if (env.hasMacro(macro)) return owner !== ctx.project.name && ctx.packageMacros?.get(owner)?.has(macro) ? owner : undefined;
  const known = new Set([...Object.keys(BUILTIN_ARGS), ...env.macroNames().filter((n) => n.startsWith('test_')).map((n) => n.slice(5))]);
  throw new CairnError('CONFIG_INVALID', `unknown generic test \`${ns ? ns + '.' : ''}${spec.testName}\``, {
    ...loc,
    hint: didYouMean(spec.testName, known) ?? `built-in tests are unique, not_null, accepted_values, relationships; define others with {% test ${spec.testName}(model, column_name) %} in macros/ or tests/generic/, or use a package's (\`dbt_utils.${spec.testName}\`)`,
  });
}

function relocate(err: unknown, e: Entry): unknown {
  if (!isCairnError(err)) return err;
  const list = err instanceof CairnErrors ? err.errors : [err];
  const out = list.map((x) => new CairnError(x.code, x.message, { file: e.file, line: e.line, node: x.location.node, hint: x.hint }));
  return out.length === 1 ? out[0] : new CairnErrors(out);
}

export { resolveRefTarget };
export type { CompileContext };
