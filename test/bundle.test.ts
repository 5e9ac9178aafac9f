// The one-file CLI bundle (dist/cairn.mjs, package.json `bin`) end to end: it must find its
// templates, the docs site assets, dagre, the artifact write worker and its external packages
// (DuckDB, sqlparser) from dist/ as the tsc output does.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundlePath, cli, makeProject, PROFILE, PROJECT, repoRoot, tempDir } from './helpers/project.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
// Each test file gets its own code cache folder (cli/launch.ts), so what it finds there is its own.
const cacheHome = tempDir('cairn-code-cache-');
const codeCache = join(cacheHome, 'cairn', 'v8');
const bundled = (args: string[], cwd?: string) => cli(args, { cwd, bin: bundlePath, env: { XDG_CACHE_HOME: cacheHome } });
const cacheFiles = (command: string) => (existsSync(codeCache) ? readdirSync(codeCache).filter((f) => f.endsWith(`-${command}.bin`)) : []);

describe('the bundled CLI', () => {
  it('is the package bin, runs as an executable and prints the package version', () => {
    expect(join(repoRoot, pkg.bin.cairn)).toBe(bundlePath);
    const r = spawnSync(bundlePath, ['--version'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('init, build on DuckDB, then docs generate --static from the templates', () => {
    const parent = makeProject({});
    const init = bundled(['init', 'bundled_demo'], parent);
    expect(init.stderr).toBe('');
    expect(init.stdout).toContain('Created');
    const dir = join(parent, 'bundled_demo');
    expect(readFileSync(join(dir, 'dbt_project.yml'), 'utf8')).toMatch(/^name: bundled_demo$/m);

    // Twice: the second run's functions come from the code cache the first one wrote, and must
    // still import DuckDB (Node 20 loses import() in restored functions: core/util/import-module.ts).
    for (let i = 0; i < 2; i++) {
      const build = bundled(['build'], dir);
      expect(build.stderr).toBe('');
      expect(build.code).toBe(0);
      expect(build.stdout).toMatch(/PASS=2 WARN=0 ERROR=0/);
      expect(cacheFiles('build')).toHaveLength(1);
    }

    const docs = bundled(['docs', 'generate', '--static'], dir);
    expect(docs.stderr).toBe('');
    expect(docs.code).toBe(0);
    expect(docs.stdout).toMatch(/Catalog: 2 relations/);
    // Site assets are copies of templates/docs; dagre comes from node_modules.
    const target = join(dir, 'target');
    expect(readFileSync(join(target, 'cairn-docs/app.js'), 'utf8')).toBe(readFileSync(join(repoRoot, 'templates/docs/app.js'), 'utf8'));
    const dagre = readFileSync(join(target, 'cairn-docs/dagre.min.js'), 'utf8');
    expect(dagre.length).toBeGreaterThan(10_000);
    const page = readFileSync(join(target, 'static_index.html'), 'utf8');
    expect(page).toContain(dagre.slice(0, 200));
    expect(page).toContain('model.bundled_demo.my_second_model');
    // Column lineage ran (sqlparser's wasm loaded from outside the bundle): greeting is traced.
    const lineage = bundled(['lineage', 'my_second_model.greeting', '--output', 'json'], dir);
    expect(lineage.code).toBe(0);
    expect(JSON.parse(lineage.stdout).upstream).toEqual([expect.objectContaining({ name: 'my_first_model', column: 'greeting' })]);
  });

  it('compile of enough models to use the write worker writes every file', () => {
    const n = 600; // FileWriter starts its worker thread at 512 files
    const files: Record<string, string> = { 'dbt_project.yml': PROJECT('many'), 'profiles.yml': PROFILE('many'), 'models/m0.sql': 'select 0 as id' };
    for (let i = 1; i < n; i++) files[`models/m${i}.sql`] = `select id + ${i} as id from {{ ref('m${i - 1}') }}`;
    const dir = makeProject(files);
    const r = bundled(['compile'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Compiled ${n} nodes`);
    const out = join(dir, 'target/compiled/many/models');
    expect(readdirSync(out)).toHaveLength(n);
    expect(readFileSync(join(out, 'm599.sql'), 'utf8')).toMatch(/select id \+ 599 as id from .*"m598"/);
    expect(existsSync(join(dir, 'target/manifest.json'))).toBe(true);
  });

  it('keeps a code cache only where nobody else can write, and survives a corrupt one', () => {
    const version = () => {
      const r = bundled(['--version']);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(pkg.version);
    };
    version();
    const [file] = cacheFiles('other'); // a flag, not a command
    expect(file).toBeDefined();
    expect(statSync(codeCache).mode & 0o777).toBe(0o700);
    expect(statSync(join(codeCache, file!)).mode & 0o777).toBe(0o600);
    // The next run takes the cache as it is (not rejected and written again): V8 keys it by its
    // flags, which the launcher sets before it compiles the bundle.
    const written = statSync(join(codeCache, file!));
    version();
    const after = statSync(join(codeCache, file!));
    expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
    // Bytes V8 cannot use are rejected, and replaced by a good cache.
    writeFileSync(join(codeCache, file!), Buffer.alloc(4096, 7));
    version();
    expect(readFileSync(join(codeCache, file!)).equals(Buffer.alloc(4096, 7))).toBe(false);
    // In a folder others can write to, cached code could be anyone's: not read, not written.
    const shared = tempDir('cairn-shared-cache-');
    const sharedV8 = join(shared, 'cairn', 'v8');
    const r1 = cli(['--version'], { bin: bundlePath, env: { XDG_CACHE_HOME: shared } });
    expect(r1.code).toBe(0);
    chmodSync(sharedV8, 0o777);
    for (const f of readdirSync(sharedV8)) writeFileSync(join(sharedV8, f), Buffer.alloc(64, 1));
    const r2 = cli(['--version'], { bin: bundlePath, env: { XDG_CACHE_HOME: shared } });
    expect(r2.stdout.trim()).toBe(pkg.version);
    for (const f of readdirSync(sharedV8)) expect(readFileSync(join(sharedV8, f)).equals(Buffer.alloc(64, 1))).toBe(true);
  });
});
