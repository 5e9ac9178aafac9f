// Partial parsing: after each kind of change, a compile that uses the cache must equal a cold
// compile; a foreign, corrupt or other-version cache is never trusted.
import { existsSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeProject } from './helpers/project.js';
import { entryCheck } from '../core/cache/partial-parse-file.js';

const CACHE = 'target/partial_parse.cairn';
const YAML_CACHE = 'target/partial_parse_yaml.cairn';

/**
 * A cache's text with each entry's check (the field before the JSON) made right again, as if cairn
 * had written what was planted.
 */
function signed(text: string): string {
  return text.split('\n').map((l, i) => {
    const parts = l.split('\t');
    if (i === 0 || parts.length < 4) return l;
    parts[parts.length - 2] = entryCheck(parts[parts.length - 1]!);
    return parts.join('\t');
  }).join('\n');
}

function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(`${p.slice(dir.length)}\n${readFileSync(p, 'utf8')}`);
    }
  };
  walk(join(dir, 'target/compiled'));
  const m = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
  delete m.metadata.generated_at;
  delete m.metadata.invocation_id;
  out.push(JSON.stringify(m));
  return out.join('\n');
}

/** A compile with the caches, then one without; `between` runs after the first (which it must not change). */
function compileBoth(dir: string, args: string[] = [], env: Record<string, string | undefined> = {}, between?: () => void): { warm: string; cold: string; output: string } {
  const w = cli(['compile', ...args], { cwd: dir, env });
  expect(w.code, w.stderr + w.stdout).toBe(0);
  const warm = snapshot(dir);
  if (between) {
    between();
    expect(snapshot(dir)).toBe(warm);
  }
  const c = cli(['compile', ...args], { cwd: dir, env: { ...env, CAIRN_NO_PARTIAL_PARSE: '1' } });
  expect(c.code, c.stderr).toBe(0);
  return { warm, cold: snapshot(dir), output: w.stdout + w.stderr };
}

function project(): string {
  return makeProject({
    'dbt_project.yml': "name: pp\nprofile: pp\nvars:\n  region: eu\n",
    'profiles.yml': 'pp:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: dev.duckdb\n      schema: main\n      threads: 2\n    prod:\n      type: duckdb\n      path: prod.duckdb\n      schema: prod\n      threads: 2\n',
    'macros/m.sql': '{% macro amount(c) %}{{ c }} / 100{% endmacro %}',
    'models/a.sql': "select 1 as id, '{{ var('region') }}' as region, '{{ env_var('CAIRN_PP_TEST', 'none') }}' as e",
    'models/b.sql': "{{ config(materialized='table') }}select {{ amount('id') }} as x from {{ ref('a') }}",
    // Generic tests are cached whole (core/tests/generic-tests.ts): they must follow every change too.
    'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    description: first\n    columns:\n      - name: x\n        data_tests: [not_null]\n',
  });
}

describe('partial parsing cache', () => {
  it('is written, then used (a planted entry is served), and each input change invalidates it', () => {
    const dir = project();
    const first = cli(['compile'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(join(dir, CACHE))).toBe(true);

    // The cache is really consulted: plant a different relation for `a` under its current hash.
    const text = readFileSync(join(dir, CACHE), 'utf8');
    writeFileSync(join(dir, CACHE), signed(text.replace(/"identifier":"a"/, '"identifier":"planted_a"')));
    cli(['compile'], { cwd: dir });
    expect(readFileSync(join(dir, 'target/compiled/pp/models/b.sql'), 'utf8')).toContain('planted_a');
    writeFileSync(join(dir, CACHE), text);

    // Generic test nodes are served from the cache too (a planted severity shows in the manifest)...
    writeFileSync(join(dir, CACHE), signed(text.replace(/("severity":)"ERROR"/, '$1"PLANTED"')));
    cli(['compile'], { cwd: dir });
    expect(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).toContain('"severity":"PLANTED"');
    writeFileSync(join(dir, CACHE), text);
    // ...and so are parsed YAML values, keyed by the file's text.
    const yamlText = readFileSync(join(dir, YAML_CACHE), 'utf8');
    expect(yamlText).toContain('"description":"first"');
    writeFileSync(join(dir, YAML_CACHE), signed(yamlText.replace('"description":"first"', '"description":"planted"')));
    rmSync(join(dir, CACHE)); // models re-parse, reading their patches from the YAML cache
    cli(['compile'], { cwd: dir });
    expect(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).toContain('"description":"planted"');
    // Start clean again: the model entries just cached carry the planted description.
    rmSync(join(dir, CACHE));
    rmSync(join(dir, YAML_CACHE));
    cli(['compile'], { cwd: dir });

    const changes: Array<[string, () => { args?: string[]; env?: Record<string, string> }, RegExp]> = [
      ['model file', () => { appendFileSync(join(dir, 'models/a.sql'), ', 2 as y'); return {}; }, /2 as y/],
      ['schema YAML', () => { writeFileSync(join(dir, 'models/schema.yml'), 'version: 2\nmodels:\n  - name: b\n    description: second\n    columns:\n      - name: x\n        data_tests: [not_null, unique]\n'); return {}; }, /"description":"second"[\s\S]*unique_b_x/],
      ['macro', () => { writeFileSync(join(dir, 'macros/m.sql'), '{% macro amount(c) %}{{ c }} / 1000{% endmacro %}'); return {}; }, /id \/ 1000/],
      ['dbt_project.yml', () => { writeFileSync(join(dir, 'dbt_project.yml'), "name: pp\nprofile: pp\nvars:\n  region: us\n"); return {}; }, /'us' as region/],
      ['profile', () => { writeFileSync(join(dir, 'profiles.yml'), readFileSync(join(dir, 'profiles.yml'), 'utf8').replace('schema: main', 'schema: main2')); return {}; }, /"main2"\."a"/],
      ['target', () => ({ args: ['--target', 'prod'] }), /"prod"\."a"/],
      ['--vars', () => ({ args: ['--vars', '{region: apac}'] }), /'apac' as region/],
      ['env_var value', () => ({ env: { CAIRN_PP_TEST: 'set-now' } }), /'set-now' as e/],
    ];
    let before = snapshot(dir);
    for (const [what, change, expected] of changes) {
      const { args, env } = change();
      const r = compileBoth(dir, args, env);
      expect(r.warm, `after changing the ${what}`).toBe(r.cold);
      expect(r.warm, `the ${what} change shows`).toMatch(expected);
      expect(r.warm).not.toBe(before);
      before = r.warm;
    }
  }, 300_000);

  it('stays equal to a cold compile over successive edits, an added and a removed model', () => {
    const dir = project();
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    for (let i = 1; i <= 3; i++) {
      appendFileSync(join(dir, 'models/a.sql'), `, ${i} as edit_${i}`);
      const r = compileBoth(dir);
      expect(r.warm, `after edit ${i}`).toBe(r.cold);
      expect(r.warm).toMatch(new RegExp(`${i} as edit_${i}`));
    }
    // An edit to a model that reads no env var must not drop the record of the env var `a` read
    // (a is served from the cache and does not read it again): changing it later still re-parses a.
    appendFileSync(join(dir, 'models/b.sql'), ' -- b edited');
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    const e = compileBoth(dir, [], { CAIRN_PP_TEST: 'changed-later' });
    expect(e.warm).toBe(e.cold);
    expect(e.warm).toContain("'changed-later' as e");
    // The cache file holds one current entry per model, whatever was appended.
    const lines = readFileSync(join(dir, CACHE), 'utf8').trim().split('\n').slice(1);
    const last = new Map(lines.map((l) => [l.slice(0, l.indexOf('\t')), l]));
    expect(last.get('models/a.sql')).toContain('3 as edit_3');
    writeFileSync(join(dir, 'models/c.sql'), 'select 3 as c');
    let r = compileBoth(dir);
    expect(r.warm).toBe(r.cold);
    expect(r.warm).toContain('model.pp.c');
    // A test on the new model: the cached generic tests must not be reused.
    writeFileSync(join(dir, 'models/c.yml'), 'version: 2\nmodels:\n  - name: c\n    columns:\n      - name: c\n        data_tests: [unique]\n');
    r = compileBoth(dir);
    expect(r.warm).toBe(r.cold);
    expect(r.warm).toContain('test.pp.unique_c_c');
    rmSync(join(dir, 'models/c.yml'));
    rmSync(join(dir, 'models/c.sql'));
    r = compileBoth(dir);
    expect(r.warm).toBe(r.cold);
    expect(r.warm).not.toContain('model.pp.c');
  }, 300_000);

  it('trusts an unchanged stat without reading the file, and never a recently changed one', () => {
    const dir = project();
    const a = join(dir, 'models/a.sql');
    const old = new Date(Date.now() - 60_000);
    utimesSync(a, old, old);
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    const compiledB = () => readFileSync(join(dir, 'target/compiled/pp/models/b.sql'), 'utf8');
    // An entry with a wrong content hash but the file's stat is served: the file was not hashed.
    const text = readFileSync(join(dir, CACHE), 'utf8');
    const planted = text.split('\n').map((l) => (l.startsWith('models/a.sql\t') ? l.replace(/\t[0-9a-f]{64}\t/, `\t${'0'.repeat(64)}\t`).replace('"identifier":"a"', '"identifier":"planted_a"') : l)).join('\n');
    expect(planted).toContain('planted_a');
    writeFileSync(join(dir, CACHE), signed(planted));
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    expect(compiledB()).toContain('planted_a');
    // Any write changes ctime, even with the same size and the mtime set back: hashed, re-parsed.
    const src = readFileSync(a, 'utf8');
    writeFileSync(a, src.replace('as id', 'as ID'));
    utimesSync(a, old, old);
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    expect(compiledB()).not.toContain('planted_a');
    expect(readFileSync(join(dir, 'target/compiled/pp/models/a.sql'), 'utf8')).toContain('as ID');
    // A file changed moments ago has no stat recorded: a same-size edit right after is caught.
    writeFileSync(a, src.replace('as id', 'as Id'));
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    writeFileSync(a, src.replace('as id', 'as iD'));
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, 'target/compiled/pp/models/a.sql'), 'utf8')).toContain('as iD');
  }, 120_000);

  it("ignores a cache from another cairn version, and warns about a corrupt or foreign one", () => {
    const dir = project();
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    const good = readFileSync(join(dir, CACHE), 'utf8');
    const planted = signed(good.replace(/"identifier":"a"/, '"identifier":"planted_a"'));

    writeFileSync(join(dir, CACHE), planted.replace(/"cairnVersion":"[^"]*"/, '"cairnVersion":"0.0.0-other"'));
    let r = compileBoth(dir);
    expect(r.warm).toBe(r.cold);
    expect(r.warm).not.toContain('planted_a');

    for (const bad of ['garbage\x00\x01', '{"format":"something-else"}\n', planted.replace(/\t[0-9a-f]{64}\t/, '\tnot-a-hash\t')]) {
      writeFileSync(join(dir, CACHE), bad);
      r = compileBoth(dir);
      expect(r.warm).toBe(r.cold);
      expect(r.warm).not.toContain('planted_a');
    }
    // Entries that decode but are not nodes, served without reading the file (its stat is unchanged)
    // or as the generic tests' blob: the file is dropped with a warning, and rewritten whole.
    const old = new Date(Date.now() - 60_000);
    for (const f of ['models/a.sql', 'models/b.sql']) utimesSync(join(dir, f), old, old);
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    const trusted = readFileSync(join(dir, CACHE), 'utf8');
    expect(trusted).toMatch(/^models\/a\.sql\t[0-9a-f]{64}\t[^\t]+\t/m);
    const hollow = (prefix: string, json: (path: string) => string) => trusted.split('\n').map((l) => {
      if (!l.startsWith(prefix)) return l;
      const [path, hash, stat] = l.split('\t');
      return [path, hash, stat, entryCheck(json(path!)), json(path!)].join('\t');
    }).join('\n');
    const tampered = (prefix: string, from: string, to: string) => trusted.split('\n').map((l) => (l.startsWith(prefix) ? l.replace(from, to) : l)).join('\n');
    expect(tampered('models/a.sql\t', '"identifier":"a"', '"identifier":"planted"')).toContain('"identifier":"planted"');
    for (const [bad, what] of [
      [hollow('models/a.sql\t', (p) => `{"path":"${p}","node":{}}`), 'the entry for models/a.sql is corrupt'],
      [hollow('models/a.sql\t', (p) => `{"path":"${p}","node":{"uniqueId":"model.pp.a","config":null}}`), 'the entry for models/a.sql is corrupt'],
      [hollow('models/a.sql\t', () => '{"path":"models/elsewhere.sql","node":{}}'), 'the entry for models/a.sql is corrupt'],
      [hollow(':generic_tests\t', () => '[{"uniqueId":"test.pp.planted"}]'), 'its generic_tests entry is corrupt'],
      // Bytes changed in place that still decode (a flipped bit in a name): their check fails.
      [tampered('models/a.sql\t', '"identifier":"a"', '"identifier":"planted"'), 'the entry for models/a.sql is corrupt'],
      [tampered(':generic_tests\t', '"severity":"ERROR"', '"severity":"PLANTED"'), 'its generic_tests entry is corrupt'],
    ] as const) {
      writeFileSync(join(dir, CACHE), bad);
      r = compileBoth(dir, [], {}, () => {
        // Said once: the next invocation (served by the parse snapshot) has nothing to warn about.
        const next = cli(['compile'], { cwd: dir });
        expect(next.stdout + next.stderr).not.toContain('ignoring the partial-parse cache');
      });
      expect(r.warm).toBe(r.cold);
      expect(r.warm).not.toContain('planted');
      expect(r.output).toContain(`ignoring the partial-parse cache ${join(dir, CACHE)}: ${what}; parsing every file`);
      expect(readFileSync(join(dir, CACHE), 'utf8')).not.toContain('"node":{}');
    }

    writeFileSync(join(dir, CACHE), 'garbage');
    const w = cli(['compile'], { cwd: dir });
    expect(w.code).toBe(0);
    expect(w.stdout + w.stderr).toMatch(/ignoring the partial-parse cache .*partial_parse\.cairn: it is not a cairn cache/);

    // The YAML cache likewise: corrupt or foreign is ignored with a warning, never trusted. It is read
    // when a YAML file is needed: a changed stat of the schema file sends the parse there.
    const goodYaml = readFileSync(join(dir, YAML_CACHE), 'utf8');
    for (const bad of ['garbage', '{"format":"something-else"}\n', goodYaml.replace(/\t[0-9a-f]{64}\t/, '\tnot-a-hash\t')]) {
      writeFileSync(join(dir, YAML_CACHE), bad);
      writeFileSync(join(dir, 'models/schema.yml'), readFileSync(join(dir, 'models/schema.yml')));
      const y = cli(['compile'], { cwd: dir });
      expect(y.code).toBe(0);
      expect(y.stdout + y.stderr).toMatch(/ignoring the YAML cache .*partial_parse_yaml\.cairn/);
    }
    // Bytes changed in place that still decode: the entry's check fails.
    writeFileSync(join(dir, YAML_CACHE), goodYaml.replace('"description":"first"', '"description":"planted"'));
    writeFileSync(join(dir, 'models/schema.yml'), readFileSync(join(dir, 'models/schema.yml')));
    r = compileBoth(dir, [], {}, () => {
      const next = cli(['compile'], { cwd: dir });
      expect(next.stdout + next.stderr).not.toContain('ignoring the YAML cache');
    });
    expect(r.warm).toBe(r.cold);
    expect(r.warm).not.toContain('planted');
    expect(r.output).toMatch(/ignoring the YAML cache .*partial_parse_yaml\.cairn: the entry for models\/schema\.yml is corrupt/);
    writeFileSync(join(dir, YAML_CACHE), signed(goodYaml.replace('"description":"first"', '"description":"planted"')).replace(/"cairnVersion":"[^"]*"/, '"cairnVersion":"0.0.0-other"'));
    r = compileBoth(dir);
    expect(r.warm).toBe(r.cold);
    expect(r.warm).not.toContain('planted');
  }, 300_000);
});
