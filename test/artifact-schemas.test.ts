// run_results.json, sources.json and catalog.json validate against dbt's published schemas for the
// manifest.json, too: versions they declare (test/fixtures/artifact-schemas, written from dbt's field lists), so dbt
// tooling (dbt-artifacts parsers, Elementary, ...) reads them, and a stray or missing field fails here.
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, repoRoot, tempDir } from './helpers/project.js';

const dir = tempDir('cairn-artifacts-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(repoRoot, 'test/fixtures/every-kind'), dir, { recursive: true });

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ReturnType<Ajv['compile']>>();
const schema = (name: string) => {
  if (!compiled.has(name)) compiled.set(name, ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/artifact-schemas', name), 'utf8'))));
  return compiled.get(name)!;
};
const artifact = (name: string) => JSON.parse(readFileSync(join(dir, 'target', name), 'utf8'));
function valid(name: string, file: string): void {
  const check = schema(name);
  const ok = check(artifact(file));
  expect(ok ? [] : check.errors!.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`), file).toEqual([]);
}

describe('artifacts validate against dbt schemas', () => {
  it('run_results.json (v6) after a build of every resource kind', () => {
    expect(cli(['build'], { cwd: dir }).code).toBe(0);
    valid('run-results-v6.json', 'run_results.json');
    expect(artifact('run_results.json').metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/run-results/v6.json');
  });

  it('the run-results schema is strict: an extra field on a result fails it', () => {
    const check = schema('run-results-v6.json');
    const rr = artifact('run_results.json');
    rr.results[0].attempts = 1;
    expect(check(rr)).toBe(false);
  });

  it('sources.json (v3) after source freshness', () => {
    expect(cli(['source', 'freshness'], { cwd: dir }).code).toBe(0);
    valid('sources-v3.json', 'sources.json');
    const r = artifact('sources.json').results[0];
    expect(r.max_loaded_at).toBe('2024-01-03T10:00:00.000Z');
    expect(r.timing[0].name).toBe('execute');
  });

  it('manifest.json (v12) after a build, after a compile, and after a parse served from the cache', () => {
    // Tasks are cairn's own resource kind: dbt's schema has no such type, so the project is checked without them.
    rmSync(join(dir, 'tasks'), { recursive: true, force: true });
    expect(cli(['build'], { cwd: dir }).code).toBe(0);
    valid('manifest-v12.json', 'manifest.json');
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    valid('manifest-v12.json', 'manifest.json');
    const m = artifact('manifest.json');
    expect(m.metadata.env.CAIRN_TARGET_NAME).toBe('dev');
    expect(m.nodes['model.every_kind.customers'].meta.cairn_state).toBeDefined();
    const ut = Object.values(m.unit_tests)[0] as { model: string; given: Array<{ input: string }>; expect: { rows: unknown[] } };
    expect(ut.model).toBe('customers');
    expect(ut.given.map((g) => g.input)).toEqual(["ref('stg_customers_eph')", "ref('stg_orders')"]);
    expect(ut.expect.rows).toHaveLength(1);
    // --state still reads what it compares from there: nothing is modified against itself.
    const same = cli(['ls', '--select', 'state:modified', '--state', 'target'], { cwd: dir });
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout.trim()).toBe('');
  });

  it('the manifest schema is strict: a seed entry with refs fails it', () => {
    const m = artifact('manifest.json');
    m.nodes['seed.every_kind.raw_orders'].refs = [];
    expect(schema('manifest-v12.json')(m)).toBe(false);
  });

  it('catalog.json (v1) after docs generate', () => {
    expect(cli(['docs', 'generate'], { cwd: dir }).code).toBe(0);
    valid('catalog-v1.json', 'catalog.json');
    expect(Object.keys(artifact('catalog.json').nodes).length).toBeGreaterThan(4);
  });
});
