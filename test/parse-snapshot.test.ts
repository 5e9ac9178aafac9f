// The parse snapshot (core/cache/parse-snapshot.ts, core/compile/reuse-parse.ts) and the spliced
// manifest (core/artifacts/manifest-splice.ts): after editing a model's SQL, an invocation takes the
// last parse and rewrites only the changed manifest entries. Whatever it reuses, its output must
// equal a cold compile's; any other change must send it back to the full parse.
import { appendFileSync, cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterRegistry } from '../adapters/registry.js';
import { compile } from '../core/api/compile.js';
import { MAX_UPDATES } from '../core/compile/reuse-parse.js';
import { COLUMNS } from '../core/cache/parse-snapshot.js';
import { writeManifest } from '../core/artifacts/manifest.js';
import { entryCheck } from '../core/cache/partial-parse-file.js';
import { makeDag, settleTree, writeCairnProject, writeTrivialProject } from '../bench/generate.js';
import { cli, makeProject, PROFILE, PROJECT, tempDir } from './helpers/project.js';

const GRAPH = 'target/partial_parse_graph.cairn';

const settle = settleTree;

function project(): string {
  const dir = tempDir('cairn-snapshot-');
  writeCairnProject(dir, makeDag(40, 7));
  settle(dir);
  return dir;
}

/** The manifest without what differs between invocations. */
function manifest(dir: string): string {
  const m = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8').replaceAll(JSON.stringify(dir).slice(1, -1), '<project>'));
  delete m.metadata.generated_at;
  delete m.metadata.invocation_id;
  return JSON.stringify(m);
}

/** `compile --select` in a copy of the project without target/ and without any cache. */
function coldCompile(dir: string, select: string[], env: Record<string, string> = {}): string {
  const copy = tempDir('cairn-snapshot-cold-');
  cpSync(dir, copy, { recursive: true, filter: (src) => !src.startsWith(join(dir, 'target')) });
  const r = cli(['compile', '--select', ...select], { cwd: copy, env: { CAIRN_NO_PARTIAL_PARSE: '1', ...env } });
  expect(r.code, r.stderr).toBe(0);
  return manifest(copy);
}

async function warmCompile(dir: string, select: string[]) {
  const events: string[] = [];
  const r = await compile({ projectDir: dir, select, adapters: adapterRegistry, onEvent: (e) => { if (e.type === 'warning') events.push(e.message); } });
  return { reused: r.project.reused, compiled: r.compiled, warnings: events, project: r.project };
}

const modelFile = (dir: string, name: string) => {
  const hit = readdirSync(join(dir, 'models'), { recursive: true }).map(String).find((f) => f.endsWith(`/${name}.sql`));
  return join(dir, 'models', hit!);
};

/** The snapshot's text with the check that ends its body made right again (the plant stands for what cairn wrote). */
function resigned(text: string): string {
  const m = /^\{"check":"[0-9a-f]{8}"\}$/m.exec(text)!;
  return text.slice(0, m.index) + JSON.stringify({ check: entryCheck(text.slice(0, m.index)) }) + text.slice(m.index + m[0].length);
}

/** Rewrites `file` in place (same inode and size) and sets its mtime back, to the nanosecond. */
function writeInPlaceKeepingMtime(file: string, text: string): void {
  const st = statSync(file, { bigint: true });
  expect(Buffer.byteLength(text)).toBe(Number(st.size));
  writeFileSync(file, text);
  // utimes() with a Date or a float loses the last digits.
  execFileSync('touch', ['-m', '-d', `@${st.mtimeNs / 1_000_000_000n}.${String(st.mtimeNs % 1_000_000_000n).padStart(9, '0')}`, file]);
  expect(statSync(file, { bigint: true }).ino).toBe(st.ino);
  expect(statSync(file, { bigint: true }).mtimeNs).toBe(st.mtimeNs);
}

const ENV = 'CAIRN_SNAPSHOT_TEST';
afterEach(() => {
  delete process.env[ENV];
});

describe('parse snapshot', () => {
  it('serves a compile after an edit to a model body, and equals a cold compile', async () => {
    const dir = project();
    // A description from a doc block: that node's text differs from its per-file cache entry.
    writeFileSync(join(dir, 'models/docs.md'), '{% docs m30_doc %}Documented in a doc block.{% enddocs %}\n');
    // Non-ASCII in a path and in SQL: entries are located by bytes, not characters.
    writeFileSync(join(dir, 'models/größe.sql'), "select 1 as id -- ünïcode\n");
    const yml = readdirSync(join(dir, 'models'), { recursive: true }).map(String).find((f) => f.endsWith('schema.yml') && readFileSync(join(dir, 'models', f), 'utf8').includes('name: m_00030'))!;
    const ymlPath = join(dir, 'models', yml);
    writeFileSync(ymlPath, readFileSync(ymlPath, 'utf8').replace(/(name: m_00030\n\s+description: )[^\n]*/, `$1"{{ doc('m30_doc') }}"`));
    settle(dir);
    await warmCompile(dir, []); // full parse: writes the snapshot and a manifest with every node compiled
    const m = 'm_00030';
    appendFileSync(modelFile(dir, m), '\n-- an edit that changes no ref, source or config\n');
    const w = await warmCompile(dir, [m]);
    expect(w.reused?.changed).toEqual(new Set([`model.bench.${m}`]));
    expect(w.compiled.get(`model.bench.${m}`)).toContain('-- an edit that changes no ref');
    // Every other node lost its compile fields, the edited one has its new SQL: as a cold compile.
    expect(manifest(dir)).toBe(coldCompile(dir, [m]));
    // And it was written by splicing the last one (its index matched).
    const file = join(dir, 'target/manifest.json');
    const before = manifest(dir);
    expect(writeManifest(file, w.project, { compiled: w.compiled })).toBe('spliced');
    expect(manifest(dir)).toBe(before);

    // Successive invocations with other selections keep matching (entries compiled last time are cut back).
    // Generic tests too: the builtin test macros are compiled when a test first calls one.
    for (const sel of [['m_00012'], ['m_00035', 'm_00002'], ['test_type:generic'], [m]]) {
      const again = await warmCompile(dir, sel);
      expect(again.reused, `select ${sel}`).toBeDefined();
      expect(again.compiled.size, `select ${sel}`).toBeGreaterThan(0);
      expect(manifest(dir), `select ${sel}`).toBe(coldCompile(dir, sel));
    }
    // Every node read back from the snapshot serializes as the full parse built it.
    rmSync(join(dir, 'target/manifest_index.cairn'));
    const whole = await warmCompile(dir, [m]);
    expect(whole.reused).toBeDefined();
    expect(manifest(dir)).toBe(coldCompile(dir, [m]));
    expect(manifest(dir)).toContain('Documented in a doc block.');
    expect(manifest(dir)).toContain('-- ünïcode');
  }, 120_000);

  it('writes an edited entry over its old text when it fits, and a new file when it does not', async () => {
    const dir = project();
    await warmCompile(dir, []);
    const m = 'm_00030';
    const file = join(dir, 'target/manifest.json');
    appendFileSync(modelFile(dir, m), '\n-- first edit\n');
    await warmCompile(dir, [m]); // a new file, with spare room after the rewritten entry
    const ino = statSync(file).ino;
    appendFileSync(modelFile(dir, m), '\n-- a small second edit\n');
    await warmCompile(dir, [m]);
    expect(statSync(file).ino).toBe(ino); // the same file, written in place
    expect(manifest(dir)).toBe(coldCompile(dir, [m]));
    expect(readFileSync(file, 'utf8')).toContain('-- a small second edit');
    appendFileSync(modelFile(dir, m), `\n-- ${'x'.repeat(5000)}\n`);
    await warmCompile(dir, [m]);
    expect(statSync(file).ino).not.toBe(ino); // beyond the spare room: spliced into a new file
    expect(manifest(dir)).toBe(coldCompile(dir, [m]));
  }, 120_000);

  it('really takes nodes from the snapshot (a planted folder in an fqn selects its node)', async () => {
    const dir = project();
    await warmCompile(dir, []);
    const text = readFileSync(join(dir, GRAPH), 'utf8');
    // The index holds each fqn with its parts joined by \u001f.
    const fqn = '"bench\\u001flayer_00\\u001fm_00003"';
    expect(text).toContain(fqn);
    // The index also lists every fqn's first two parts, so that a plain name is looked up by name.
    const heads = '"heads":["bench",';
    expect(text).toContain(heads);
    // The plant comes with the body's check made right (resigned).
    const planted = text.replace(fqn, '"bench\\u001fplanted\\u001fm_00003"');
    writeFileSync(join(dir, GRAPH), resigned(planted.replace(heads, `${heads}"planted",`)));
    const w = await warmCompile(dir, ['planted']);
    expect(w.reused).toBeDefined();
    expect([...w.compiled.keys()]).toEqual(['model.bench.m_00003']);
    // A name that is no fqn head is matched by name alone, as the fqns would match it.
    const byName = await warmCompile(dir, ['M_00004']);
    expect(byName.reused).toBeDefined();
    expect([...byName.compiled.keys()]).toEqual(['model.bench.m_00004']);
  }, 120_000);

  it('is not used after any other kind of change, and the output stays that of a cold compile', async () => {
    const dir = project();
    await warmCompile(dir, []);
    const m = 'm_00031';
    const changes: Array<[string, () => void, Record<string, string>?]> = [
      ['a new ref in the edited model', () => appendFileSync(modelFile(dir, m), `\n-- {{ ref('m_00001') }}\n`)],
      ['a config change in the edited model', () => writeFileSync(modelFile(dir, m), readFileSync(modelFile(dir, m), 'utf8').replace(/^/, "{{ config(tags=['edited']) }}\n"))],
      ['schema YAML', () => appendFileSync(join(dir, 'models/sources.yml'), '\n# a comment\n')],
      ['a new seed', () => writeFileSync(join(dir, 'seeds/new_seed.csv'), 'id\n1\n')],
      ['a new model', () => writeFileSync(join(dir, 'models/new_model.sql'), 'select 1 as id\n')],
      ['a removed model', () => rmSync(join(dir, 'models/new_model.sql'))],
      ['an env var a model reads', () => appendFileSync(modelFile(dir, m), `\n-- {{ env_var('${ENV}', 'unset') }}\n`), {}],
      ['its value', () => undefined, { [ENV]: 'now-set' }],
    ];
    for (const [what, change, env] of changes) {
      change();
      if (env) Object.assign(process.env, env);
      const w = await warmCompile(dir, [m]);
      expect(w.reused, `after ${what}`).toBeUndefined();
      expect(manifest(dir), `after ${what}`).toBe(coldCompile(dir, [m], env));
      // Once the files are settled and parsed again, nothing changed: the snapshot is used.
      settle(dir);
      expect((await warmCompile(dir, [m])).reused, `right after settling (${what})`).toBeUndefined();
      expect((await warmCompile(dir, [m])).reused, `once settled after ${what}`).toBeDefined();
    }
    expect(readFileSync(join(dir, 'target/compiled/bench', modelFile(dir, m).slice(dir.length + 1)), 'utf8')).toContain('now-set');
  }, 300_000);

  it('ignores a corrupt snapshot with a warning, and a manifest edited by hand is written whole', async () => {
    const dir = project();
    await warmCompile(dir, []);
    // A column read only to decode a node is checked up front (the body's check): a changed offset
    // would otherwise point a node at the wrong bytes. Columns follow the header and the extras.
    const good = readFileSync(join(dir, GRAPH), 'utf8');
    const lines = good.split('\n');
    const offsets = 2 + COLUMNS.indexOf('offsets');
    expect(lines[offsets]).toMatch(/^\[\d+,\d/);
    expect(offsets).toBeGreaterThan(0);
    lines[offsets] = lines[offsets]!.replace(/\[(\d)/, (_m, d: string) => `[${(Number(d) + 1) % 10}`);
    // Any other byte changed, where it still decodes (a model's name in the names column): the
    // check at the end of the body fails.
    const names = good.split('\n').findIndex((l) => l.startsWith('["m_00000",'));
    expect(names).toBeGreaterThan(0);
    const renamed = good.split('\n').map((l, i) => (i === names ? l.replace('"m_00001"', '"m_0000X"') : l)).join('\n');
    expect(renamed).not.toBe(good);
    for (const bad of [lines.join('\n'), renamed, 'garbage\n']) {
      writeFileSync(join(dir, GRAPH), bad);
      const w = await warmCompile(dir, ['m_00010']);
      expect(w.reused).toBeUndefined();
      expect(w.warnings.join('\n')).toMatch(/ignoring the parse snapshot .*partial_parse_graph\.cairn/);
      expect(manifest(dir)).toBe(coldCompile(dir, ['m_00010']));
    }
    // The snapshot is back; a manifest changed by someone else no longer matches its index.
    const file = join(dir, 'target/manifest.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"nodes":{', '"nodes":{ '));
    appendFileSync(modelFile(dir, 'm_00010'), '\n-- edited\n');
    const again = await warmCompile(dir, ['m_00010']);
    expect(again.reused).toBeDefined();
    expect(manifest(dir)).toBe(coldCompile(dir, ['m_00010']));
    // The batch that invocation appended has its own check: its entry changed where it still
    // decodes (the model's name), the snapshot is not used.
    const graph = readFileSync(join(dir, GRAPH), 'utf8');
    const appended = [...graph.split('\n')].reverse().find((l) => l.startsWith('["models/') && l.includes('"m_00010"'));
    expect(appended).toBeDefined();
    writeFileSync(join(dir, GRAPH), graph.replace(appended!, appended!.replace('"m_00010"', '"m_0001X"')));
    const tampered = await warmCompile(dir, ['m_00010']);
    expect(tampered.reused).toBeUndefined();
    expect(tampered.warnings.join('\n')).toMatch(/ignoring the parse snapshot .*partial_parse_graph\.cairn: an entry is corrupt/);
    expect(manifest(dir)).toBe(coldCompile(dir, ['m_00010']));
    // Models' entries point into the per-file cache: rewritten by anything else (even with the same
    // bytes), the snapshot is not used.
    const cache = join(dir, 'target/partial_parse.cairn');
    writeFileSync(cache, readFileSync(cache));
    expect((await warmCompile(dir, ['m_00010'])).reused).toBeUndefined();
    expect((await warmCompile(dir, ['m_00010'])).reused).toBeDefined();
    // Changed in place, same size, mtime set back (as a sync tool may): its ctime still tells.
    const text = readFileSync(cache, 'utf8');
    expect(text).toContain('"description":"Synthetic model');
    writeInPlaceKeepingMtime(cache, text.replaceAll('"description":"Synthetic model', '"description":"Synthetix model'));
    expect((await warmCompile(dir, ['m_00010'])).reused).toBeUndefined();
    expect(manifest(dir)).toBe(coldCompile(dir, ['m_00010']));
  }, 120_000);

  it('is not used when its rest file was changed in place with the mtime set back', () => {
    const dir = project();
    // Sources' rests lie in the rest file: selecting them by source name reads every one.
    const lsSources = () => cli(['ls', '--select', 'source:*', '--output', 'json'], { cwd: dir });
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    const before = lsSources();
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toContain('"resource_type":"source"');
    const restFile = join(dir, 'target/partial_parse_graph_rest.cairn');
    const rest = readFileSync(restFile, 'utf8');
    writeInPlaceKeepingMtime(restFile, rest.slice(0, 1) + rest.slice(1).replaceAll('{', '('));
    const after = lsSources();
    expect(after.code, after.stderr + after.stdout).toBe(0);
    expect(after.stdout).toBe(before.stdout);
  }, 120_000);

  it('is rewritten by a full parse once re-parsed entries pile up, and so is the per-file cache', async () => {
    const dir = project();
    await warmCompile(dir, []);
    const m = 'm_00020';
    let reusedRuns = 0;
    let last;
    for (let i = 0; i < MAX_UPDATES + 2; i++) {
      appendFileSync(modelFile(dir, m), `-- edit ${i}\n`);
      last = await warmCompile(dir, [m]);
      if (last.reused) reusedRuns++;
    }
    // Up to MAX_UPDATES appended entries are read back; with more, the invocation parses everything.
    expect(reusedRuns).toBe(MAX_UPDATES + 1);
    expect(last!.reused).toBeUndefined();
    const lines = (f: string) => readFileSync(join(dir, 'target', f), 'utf8').trimEnd().split('\n');
    const models = readdirSync(join(dir, 'models'), { recursive: true }).filter((f) => String(f).endsWith('.sql')).length;
    expect(lines('partial_parse.cairn').filter((l) => l.startsWith('models/'))).toHaveLength(models);
    // Each batch of appended entries ends with the identity of the cache it was appended with.
    expect(lines('partial_parse_graph.cairn').filter((l) => l.startsWith('{"cache":'))).toEqual([]);
    appendFileSync(modelFile(dir, m), '-- one more\n');
    expect((await warmCompile(dir, [m])).reused).toBeDefined();
    expect(manifest(dir)).toBe(coldCompile(dir, [m]));
  }, 120_000);

  it('serves run and ls too', () => {
    const dir = tempDir('cairn-snapshot-run-');
    writeTrivialProject(dir, 30);
    settle(dir);
    const first = cli(['run'], { cwd: dir });
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const file = modelFile(dir, 'm_00012');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/select \d+ as id/, 'select 4242 as id'));
    const run = cli(['run', '--select', 'm_00012+'], { cwd: dir });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(readFileSync(join(dir, 'target/run/trivial', file.slice(dir.length + 1)), 'utf8')).toContain('4242 as id');
    const ls = cli(['ls', '--resource-type', 'model'], { cwd: dir });
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout.trim().split('\n').filter((l) => /m_\d{5}/.test(l))).toHaveLength(30);
  }, 120_000);

  it("reads the YAML cache only for an edited model's patch, and warns when it is corrupt", async () => {
    const dir = project();
    expect(cli(['compile'], { cwd: dir }).code).toBe(0);
    const yml = readdirSync(join(dir, 'models'), { recursive: true }).map(String).find((f) => f.endsWith('schema.yml'))!;
    const name = /- name: (m_\d+)/.exec(readFileSync(join(dir, 'models', yml), 'utf8'))![1]!;
    writeFileSync(join(dir, 'target/partial_parse_yaml.cairn'), 'garbage');
    appendFileSync(modelFile(dir, name), '\n-- edited\n');
    const warm = await warmCompile(dir, [name]);
    expect(warm.reused?.changed).toEqual(new Set([`model.bench.${name}`]));
    expect(warm.warnings.join('\n')).toMatch(/ignoring the YAML cache .*partial_parse_yaml\.cairn/);
    expect(manifest(dir)).toBe(coldCompile(dir, [name]));
  }, 120_000);

  it('compiles a macro file when a model first calls it, and a broken one is reported by the full parse', async () => {
    const dir = project();
    await warmCompile(dir, []);
    const models = readdirSync(join(dir, 'models'), { recursive: true }).map(String).filter((f) => f.endsWith('.sql'));
    const caller = models.find((f) => /cents_to_dollars|safe_divide|key_of/.test(readFileSync(join(dir, 'models', f), 'utf8')))!;
    const name = caller.split('/').pop()!.replace(/\.sql$/, '');
    appendFileSync(join(dir, 'models', caller), '\n-- edited\n');
    const warm = await warmCompile(dir, [name]);
    expect(warm.reused?.changed).toEqual(new Set([`model.bench.${name}`]));
    expect(manifest(dir)).toBe(coldCompile(dir, [name]));
    // A broken macro file is reported by the full parse with its file, even when no model calls it;
    // only the nodes that call its macros fail (test/dbt-globals.test.ts).
    writeFileSync(join(dir, 'macros/unused.sql'), '{% macro unused(a) %}{{ a }}{% endmacro %}\n{% macro broken( %}\n');
    const r = cli(['compile', '--select', name], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/macros\/unused\.sql:\d+.*Jinja syntax error/);
  }, 120_000);

  it('keeps a macro its name scanner cannot read (a `)` in a default) for a parse taken from the snapshot', async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('odd'),
      'profiles.yml': PROFILE('odd'),
      'models/m.sql': 'select {{ odd() }} as x',
      'macros/m.sql': '{% macro plain() %}1{% endmacro %}\n{% macro odd(n=range(2)) %}{{ n | length }}{% endmacro %}\n',
    });
    settle(dir);
    await warmCompile(dir, []);
    appendFileSync(join(dir, 'models/m.sql'), '\n-- edited\n');
    const warm = await warmCompile(dir, ['m']);
    expect(warm.reused?.changed).toEqual(new Set(['model.odd.m']));
    expect(warm.compiled.get('model.odd.m')).toMatch(/^select 2 as x/);
  }, 120_000);
});
