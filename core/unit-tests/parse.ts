// `unit_tests:` in schema YAML (dbt's shape) → `unit_test` nodes, checked against the model they
// test: it must exist, and every `given` must name a ref/source the model reads (or `this`).
import type { CompileContext } from '../compile/context.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { checksum } from '../compile/parse-models.js';
import { CairnError, CairnErrors, isCairnError, addError } from '../errors.js';
import { mergeConfig } from '../project/node-config.js';
import type { ProjectNode } from '../project/types.js';
import { lineOf, type YamlFile } from '../project/yaml-file.js';
import { didYouMean } from '../util/did-you-mean.js';
import { loadFixtureFile, readFixture, type Fixture } from './fixtures.js';

export type InputKey = { kind: 'ref'; name: string } | { kind: 'source'; source: string; table: string } | { kind: 'this' };

export interface GivenInput {
  input: string;
  key: InputKey;
  fixture: Fixture;
}

export interface UnitTestSpec {
  model: string;
  given: GivenInput[];
  expect: Fixture;
  overrides: { vars: Record<string, unknown>; macros: Record<string, unknown>; envVars: Record<string, unknown> };
  file: string;
  line?: number;
}

const STR = `\\s*['"]([^'"]+)['"]\\s*`;
const REF_RE = new RegExp(`^ref\\(${STR}(?:,${STR})?\\)$`);
const SOURCE_RE = new RegExp(`^source\\(${STR},${STR}\\)$`);

export function parseInput(text: string): InputKey | undefined {
  const t = text.trim();
  if (t === 'this') return { kind: 'this' };
  let m = REF_RE.exec(t);
  if (m) return { kind: 'ref', name: m[2] ?? m[1]! };
  m = SOURCE_RE.exec(t);
  if (m) return { kind: 'source', source: m[1]!, table: m[2]! };
  return undefined;
}

export const inputLabel = (k: InputKey) => (k.kind === 'this' ? 'this' : k.kind === 'ref' ? `ref('${k.name}')` : `source('${k.source}', '${k.table}')`);

const asMap = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function unitTestNode(ctx: CompileContext, yf: YamlFile, e: Record<string, unknown>, index: number): ProjectNode {
  const name = String(e.name);
  const line = lineOf(yf, ['unit_tests', index]);
  const where = { file: yf.file, line, node: name };
  const modelName = typeof e.model === 'string' ? e.model : '';
  const modelIds = ctx.refIndex.get(modelName);
  const model = modelIds ? ctx.nodes.get(modelIds[0]!) : undefined;
  if (!model || model.resourceType !== 'model') {
    const models = [...ctx.nodes.values()].filter((n) => n.resourceType === 'model').map((n) => n.name);
    throw new CairnError('CONFIG_INVALID', modelName ? `unit test \`${name}\` tests model \`${modelName}\`, which does not exist` : `unit test \`${name}\` has no \`model:\``, {
      ...where, hint: didYouMean(modelName, models) ?? 'set `model:` to the name of the model under test',
    });
  }
  const errors: CairnError[] = [];
  const given: GivenInput[] = [];
  const refs = new Set(model.refs.map((r) => r.name));
  const sources = new Set(model.sources.map(([s, t]) => `${s}.${t}`));
  const rawGiven = Array.isArray(e.given) ? e.given : [];
  rawGiven.forEach((g, gi) => {
    const gl = lineOf(yf, ['unit_tests', index, 'given', gi]) ?? line;
    const input = String(asMap(g).input ?? '');
    const key = parseInput(input);
    if (!key) {
      errors.push(new CairnError('CONFIG_INVALID', `unit test \`${name}\`: given input \`${input}\` is not ref('model'), source('src', 'table') or this`, { ...where, line: gl }));
      return;
    }
    const uses = key.kind === 'this' || (key.kind === 'ref' ? refs.has(key.name) : sources.has(`${key.source}.${key.table}`));
    if (!uses) {
      const used = [...[...refs].map((r) => `ref('${r}')`), ...[...sources].map((s) => `source('${s.split('.')[0]}', '${s.split('.')[1]}')`)];
      errors.push(new CairnError('CONFIG_INVALID', `unit test \`${name}\`: given ${inputLabel(key)}, but model \`${model.name}\` does not use it`, {
        ...where, line: gl,
        hint: (key.kind === 'ref' ? didYouMean(key.name, refs) : undefined) ?? (used.length ? `${model.name} reads ${used.join(', ')}` : `${model.name} reads no refs or sources`),
      }));
      return;
    }
    try {
      const what = `unit test \`${name}\` given ${input}`;
      given.push({ input, key, fixture: readFixture(loadFixtureFile(asMap(g), what, ctx.projectDir, ctx.project.testPaths), what) });
    } catch (err) {
      if (isCairnError(err)) errors.push(new CairnError(err.code, err.message, { ...where, line: gl, hint: err.hint }));
      else throw err;
    }
  });
  const givenNames = new Set(given.map((g) => g.key.kind === 'ref' ? `ref:${g.key.name}` : g.key.kind === 'source' ? `source:${g.key.source}.${g.key.table}` : 'this'));
  const missing = [...[...refs].filter((r) => !givenNames.has(`ref:${r}`)).map((r) => `ref('${r}')`), ...[...sources].filter((s) => !givenNames.has(`source:${s}`)).map((s) => `source('${s.split('.')[0]}', '${s.split('.')[1]}')`)];
  if (missing.length && errors.length === 0) {
    errors.push(new CairnError('CONFIG_INVALID', `unit test \`${name}\`: model \`${model.name}\` reads ${missing.join(', ')}, which has no \`given\` input`, {
      ...where, hint: `add a given for each input, e.g.\n  - input: ${missing[0]}\n    rows: []`,
    }));
  }
  let expect: Fixture = { format: 'dict', rows: [] };
  if (e.expect === undefined) errors.push(new CairnError('CONFIG_INVALID', `unit test \`${name}\` has no \`expect:\``, { ...where, hint: 'expect:\n  rows:\n    - {id: 1}' }));
  else {
    try {
      const what = `unit test \`${name}\` expect`;
      expect = readFixture(loadFixtureFile(asMap(e.expect), what, ctx.projectDir, ctx.project.testPaths), what);
    } catch (err) {
      if (isCairnError(err)) errors.push(new CairnError(err.code, err.message, { ...where, line: lineOf(yf, ['unit_tests', index, 'expect']) ?? line, hint: err.hint }));
      else throw err;
    }
  }
  if (errors.length) throw errors.length === 1 ? errors[0]! : new CairnErrors(errors);
  const ov = asMap(e.overrides);
  const spec: UnitTestSpec = {
    model: model.uniqueId, given, expect, file: yf.file, line,
    overrides: { vars: asMap(ov.vars), macros: asMap(ov.macros), envVars: asMap(ov.env_vars) },
  };
  const cfg = mergeConfig({ enabled: true }, asMap(e.config));
  const tags = Array.isArray(cfg.tags) ? cfg.tags.map(String) : [];
  return {
    uniqueId: `unit_test.${ctx.project.name}.${model.name}.${name}`,
    name,
    resourceType: 'unit_test',
    packageName: ctx.project.name,
    originalFilePath: yf.file,
    path: yf.file,
    fqn: [...model.fqn, name],
    rawCode: '',
    checksum: checksum(JSON.stringify(e)),
    config: cfg,
    description: typeof e.description === 'string' ? e.description : '',
    columns: {},
    meta: asMap(cfg.meta),
    tags,
    patchPath: yf.file,
    refs: [],
    sources: [],
    dependsOn: { nodes: [model.uniqueId], macros: [] },
    extra: { _unitTest: spec, model: model.uniqueId },
  };
}

/** Late parser: runs after refs resolve, so the model under test and its inputs are known. */
export function parseUnitTests(p: ParsedProject, errors: CairnError[]): void {
  for (const yf of p.loaded.schema.files) {
    const list = yf.value?.unit_tests;
    if (!Array.isArray(list)) continue;
    list.forEach((e, i) => {
      if (!e || typeof e !== 'object' || typeof (e as { name?: unknown }).name !== 'string') {
        errors.push(new CairnError('CONFIG_INVALID', 'every entry under `unit_tests:` needs a `name:`', { file: yf.file, line: lineOf(yf, ['unit_tests', i]) }));
        return;
      }
      try {
        const node = unitTestNode(p.ctx, yf, e as Record<string, unknown>, i);
        if (node.config.enabled === false) return;
        if (p.nodes.has(node.uniqueId)) {
          errors.push(new CairnError('DUPLICATE_NODE', `two unit tests of \`${String((e as { model?: unknown }).model)}\` are named \`${node.name}\``, { file: yf.file, line: lineOf(yf, ['unit_tests', i]), hint: 'rename one of them' }));
          return;
        }
        p.nodes.set(node.uniqueId, node);
      } catch (err) {
        addError(errors, err);
      }
    });
  }
}
