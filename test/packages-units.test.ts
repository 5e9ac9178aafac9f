// The pure parts of packages: version ranges, the lock hash, and the `dispatch:` config.
import { describe, expect, it } from 'vitest';
import { resolveVersion, unmetDbtVersion, badRequirement } from '../core/packages/versions.js';
import { pyJson, specsHash, type PackageSpec } from '../core/packages/spec.js';
import { dispatchConfig, dispatchSearchOrders } from '../core/packages/dispatch-order.js';
import { dispatchSearchOrder } from '../core/templating/dispatch.js';
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

describe('`dispatch:` config', () => {
  const project = (yaml: string): ProjectConfig => {
    const file = parseYaml<Record<string, unknown>>(yaml, 'dbt_project.yml');
    return { name: 'my_project', raw: file.value, file } as unknown as ProjectConfig;
  };

  it('gives adapter.dispatch its search order per namespace; others keep the default (root, namespace, dbt)', () => {
    const p = project('name: my_project\ndispatch:\n  - macro_namespace: dbt_utils\n    search_order: [my_project, spark_utils, dbt_utils]\n');
    expect(dispatchSearchOrder('my_project', 'dbt_utils', dispatchSearchOrders(p))).toEqual(['my_project', 'spark_utils', 'dbt_utils']);
    expect(dispatchSearchOrder('my_project', 'dbt_date', dispatchSearchOrders(p))).toEqual(['my_project', 'dbt_date', 'dbt']);
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
});
