// The pure parts of packages: version ranges, the lock hash, and adapter.dispatch's search order.
import { describe, expect, it } from 'vitest';
import { resolveVersion, unmetDbtVersion, badRequirement } from '../core/packages/versions.js';
import { pyJson, specsHash, type PackageSpec } from '../core/packages/spec.js';
import { dispatchCandidates, dispatchConfig, dispatchSearchOrder, findDispatchMacro } from '../core/packages/dispatch-order.js';
import { createTemplateEnv } from '../core/templating/environment.js';
import { parseYaml } from '../core/project/yaml-file.js';
import type { ProjectConfig } from '../core/project/types.js';

describe('version ranges', () => {
  const published = ['0.9.0', '1.0.0', '1.1.1', '1.2.0-b1', '1.3.0', '2.0.0'];
  it('takes the newest version inside every requirement, prereleases only when asked or named', () => {
    expect(resolveVersion(['>=1.0.0', '<2.0.0'], published)).toBe('1.3.0');
    expect(resolveVersion(['>=1.0.0', '<1.3.0'], published)).toBe('1.1.1');
    expect(resolveVersion(['1.1.1'], published)).toBe('1.1.1');
    expect(resolveVersion(['>1.1.1', '<1.3.0'], published)).toBeUndefined();
    expect(resolveVersion(['>1.1.1', '<1.3.0'], published, true)).toBe('1.2.0-b1');
    expect(resolveVersion(['=1.2.0-b1'], published)).toBe('1.2.0-b1');
    expect(resolveVersion(['>=1.0.0', '<0.9.5'], published)).toBeUndefined();
  });
  it('reads require-dbt-version as dbt writes it', () => {
    expect(unmetDbtVersion(['>=1.3.0', '<2.0.0'], '1.9.0')).toEqual([]);
    expect(unmetDbtVersion('>=2.0.0', '1.9.0')).toEqual(['>=2.0.0']);
    expect(badRequirement(['>=1.0.0', 'latest'])).toBe('latest');
  });
});

describe('package-lock.yml sha1_hash', () => {
  it("is dbt's: the entries as sorted-key JSON with Python's separators, sorted, joined by newlines", () => {
    expect(pyJson({ version: ['>=1.0.0', '<2.0.0'], package: 'dbt-labs/dbt_utils' })).toBe('{"package": "dbt-labs/dbt_utils", "version": [">=1.0.0", "<2.0.0"]}');
    const specs = [
      { kind: 'package', raw: { package: 'dbt-labs/dbt_utils', version: ['>=1.0.0', '<2.0.0'] } },
      { kind: 'local', raw: { local: 'vendor/x' } },
    ] as unknown as PackageSpec[];
    // python3: sha1('\n'.join(sorted(json.dumps(p, sort_keys=True) for p in entries)))
    expect(specsHash(specs)).toBe('b7296e91e333398e73003076fe8fc664e588171b');
  });
});

describe('adapter.dispatch search order', () => {
  const project = (yaml: string): ProjectConfig => {
    const file = parseYaml<Record<string, unknown>>(yaml, 'dbt_project.yml');
    return { name: 'my_project', raw: file.value, file } as unknown as ProjectConfig;
  };
  const installed = [{ config: { name: 'dbt_utils' } as ProjectConfig }, { config: { name: 'dbt_date' } as ProjectConfig }];

  it('an installed package without `dispatch:` config: the root project, then the package', () => {
    expect(dispatchSearchOrder('dbt_utils', { project: project('name: my_project\n'), packages: installed })).toEqual(['my_project', 'dbt_utils']);
  });
  it('`dispatch:` config decides for its namespace', () => {
    const p = project('name: my_project\ndispatch:\n  - macro_namespace: dbt_utils\n    search_order: [my_project, spark_utils, dbt_utils]\n');
    expect(dispatchSearchOrder('dbt_utils', { project: p, packages: installed })).toEqual(['my_project', 'spark_utils', 'dbt_utils']);
    expect(dispatchSearchOrder('dbt_date', { project: p, packages: installed })).toEqual(['my_project', 'dbt_date']);
  });
  it("no namespace, `dbt`, or a namespace that is no installed package: the caller's own lookup", () => {
    const p = project('name: my_project\n');
    expect(dispatchSearchOrder(undefined, { project: p, packages: installed })).toEqual([null]);
    expect(dispatchSearchOrder('dbt', { project: p, packages: installed })).toEqual([null]);
    expect(dispatchSearchOrder('not_installed', { project: p })).toEqual([null]);
  });
  it('each place is searched for <adapter>__ then default__', () => {
    expect(dispatchCandidates('star', 'dbt_utils', { project: project('name: my_project\n'), packages: installed }, 'dremio')).toEqual([
      { package: 'my_project', macro: 'dremio__star' }, { package: 'my_project', macro: 'default__star' },
      { package: 'dbt_utils', macro: 'dremio__star' }, { package: 'dbt_utils', macro: 'default__star' },
    ]);
  });
  it('a malformed `dispatch:` is an error naming its line', () => {
    const p = project('name: my_project\ndispatch:\n  - macro_namespace: dbt_utils\n    search_order: dbt_utils\n');
    expect(() => dispatchConfig(p)).toThrow(/dispatch entry for `dbt_utils` needs `search_order`/);
    try {
      dispatchConfig(p);
    } catch (e) {
      expect((e as { location: { line?: number } }).location.line).toBe(3);
    }
  });

  it('finds the macro in the template environments: root override, then the package, adapter prefix first', () => {
    const tenv = createTemplateEnv();
    const utils = tenv.forPackage('dbt_utils', 'dbt_packages/dbt_utils');
    const mark = (s: string) => () => s;
    utils.addMacro('default__star', mark('utils default'));
    utils.addMacro('duckdb__star', mark('utils duckdb'));
    tenv.addMacro('default__star', mark('root default'));
    const scope = { project: project('name: my_project\n'), packages: [{ config: { name: 'dbt_utils' } as ProjectConfig }] };
    // The root's default__ comes before the package's (root first), but after the root's duckdb__ (none).
    let got = findDispatchMacro(tenv, scope, 'star', 'dbt_utils', 'duckdb');
    expect(got.macro?.()).toBe('root default');
    expect(got.tried).toEqual(['my_project.duckdb__star', 'my_project.default__star']);
    // A package's environment sees the root's macros, but a `dbt_utils` entry looks at the package's own.
    tenv.addMacro('unrelated', mark('x'));
    got = findDispatchMacro(tenv, { ...scope, project: project('name: my_project\ndispatch:\n  - macro_namespace: dbt_utils\n    search_order: [dbt_utils]\n') }, 'star', 'dbt_utils', 'duckdb');
    expect(got.macro?.()).toBe('utils duckdb');
    // No namespace: the caller's own lookup (from a package file, its own macros first).
    got = findDispatchMacro(tenv, scope, 'star', undefined, 'dremio', 'dbt_packages/dbt_utils/macros/star.sql');
    expect(got.macro?.()).toBe('utils default');
    got = findDispatchMacro(tenv, scope, 'nothing', 'dbt_utils', 'duckdb');
    expect(got.macro).toBeUndefined();
    expect(got.tried).toEqual(['my_project.duckdb__nothing', 'my_project.default__nothing', 'dbt_utils.duckdb__nothing', 'dbt_utils.default__nothing']);
  });
});
