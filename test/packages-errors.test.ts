// `cairn deps` and package use when something is wrong or missing: each is a located error with a way
// out, and a failed install leaves the previous one as it was. Hub entries are served by a local
// HTTP server standing in for hub.getdbt.com (DBT_PACKAGE_HUB_URL, as in dbt).
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT, tempDir } from './helpers/project.js';
import { cliAsync } from './helpers/cli-async.js';

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
const project = (files: Record<string, string>) => {
  const d = makeProject({ 'dbt_project.yml': PROJECT('app'), 'profiles.yml': PROFILE('app'), ...files });
  dirs.push(d);
  return d;
};

describe('hub packages', () => {
  it('with no network, a hub entry is an error naming the package and suggesting git: or local:, and nothing is installed', () => {
    const dir = project({
      'packages.yml': 'packages:\n  - local: pkgs/mine\n  - package: dbt-labs/dbt_utils\n    version: [">=1.0.0", "<2.0.0"]\n',
      'pkgs/mine/dbt_project.yml': 'name: mine\n',
      // What an earlier install left: it must survive the failed one.
      'dbt_packages/old_pkg/dbt_project.yml': 'name: old_pkg\n',
    });
    const r = cli(['deps', '--project-dir', dir], { env: { DBT_PACKAGE_HUB_URL: 'http://127.0.0.1:1/' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[DEPS\] packages\.yml:3: cannot reach the dbt package hub for `dbt-labs\/dbt_utils`/);
    expect(r.stderr).toMatch(/hint: .*`- git: <repository URL>`.*`- local: /);
    expect(readdirSync(join(dir, 'dbt_packages'))).toEqual(['old_pkg']);
    expect(readdirSync(dir).filter((n) => n.includes('cairn-'))).toEqual([]);
    expect(existsSync(join(dir, 'package-lock.yml'))).toBe(false);
  });

  describe('served by a hub API', () => {
    let server: Server;
    let base = '';
    const tarballs = new Map<string, Buffer>();
    const scratch = tempDir('cairn-hub-');
    dirs.push(scratch);
    const tarOf = (name: string, version: string, extra = '') => {
      const src = join(scratch, `${name}-${version}`);
      mkdirSync(join(src, 'macros'), { recursive: true });
      writeFileSync(join(src, 'dbt_project.yml'), `name: ${name}\nversion: '${version}'\n${extra}`);
      writeFileSync(join(src, 'macros/v.sql'), `{% macro version_of_${name}() %}${version}{% endmacro %}\n`);
      const out = join(scratch, `${name}-${version}.tar.gz`);
      execFileSync('tar', ['-czf', out, '-C', scratch, `${name}-${version}`]);
      tarballs.set(`/tarballs/${name}-${version}.tar.gz`, readFileSync(out));
    };
    const index: Record<string, { versions: Record<string, unknown> }> = {};
    const publish = (pkg: string, version: string, packages: unknown[] = []) => {
      const name = pkg.split('/')[1]!;
      tarOf(name, version);
      (index[pkg] ??= { versions: {} }).versions[version] = { name, version, packages, downloads: { tarball: `${base}tarballs/${name}-${version}.tar.gz` } };
    };
    beforeAll(async () => {
      server = createServer((req, res) => {
        const m = /^\/api\/v1\/(.+)\.json$/.exec(req.url ?? '');
        if (m && index[m[1]!]) { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ name: m[1]!.split('/')[1], ...index[m[1]!] })); return; }
        const t = tarballs.get(req.url ?? '');
        if (t) { res.end(t); return; }
        res.statusCode = 404;
        res.end('{}');
      });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
      publish('acme/base', '1.0.0');
      publish('acme/base', '1.5.0');
      publish('acme/base', '2.0.0');
      publish('acme/base', '2.1.0-rc1');
      publish('acme/tools', '1.0.0');
      publish('acme/tools', '1.2.0', [{ package: 'acme/base', version: '>=1.2.0' }]);
      publish('acme/tools', '2.0.0');
    });
    afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

    it('resolves version ranges (its own requirements too), downloads the tarballs and locks the versions', async () => {
      const dir = project({ 'packages.yml': 'packages:\n  - package: acme/tools\n    version: [">=1.0.0", "<2.0.0"]\n  - package: acme/base\n    version: "<2.0.0"\n' });
      const r = await cliAsync(['deps', '--project-dir', dir], { env: { DBT_PACKAGE_HUB_URL: base } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const lock = readFileSync(join(dir, 'package-lock.yml'), 'utf8');
      // tools: newest below 2; base: newest meeting <2.0.0 (root) and >=1.2.0 (tools 1.2.0), no prerelease.
      expect(lock).toMatch(/- name: tools\n\s+package: acme\/tools\n\s+version: 1\.2\.0/);
      expect(lock).toMatch(/- name: base\n\s+package: acme\/base\n\s+version: 1\.5\.0/);
      expect(readFileSync(join(dir, 'dbt_packages/base/macros/v.sql'), 'utf8')).toContain('1.5.0');
    });

    it('reports requirements no version meets, naming who asked for what', async () => {
      const dir = project({ 'packages.yml': 'packages:\n  - package: acme/tools\n    version: 1.2.0\n  - package: acme/base\n    version: "<1.1.0"\n' });
      const r = await cliAsync(['deps', '--project-dir', dir], { env: { DBT_PACKAGE_HUB_URL: base } });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Version error for package acme\/base: could not find a satisfactory version from options: <1\.1\.0 \(the root project\), >=1\.2\.0 \(package `tools`\)/);
      expect(existsSync(join(dir, 'dbt_packages'))).toBe(false);
    });

    it('a tarball: entry is downloaded, unpacked from its top folder, and locked by URL', async () => {
      const url = `${base}tarballs/base-1.0.0.tar.gz`;
      const dir = project({ 'packages.yml': `packages:\n  - tarball: ${url}\n    name: base\n` });
      const r = await cliAsync(['deps', '--project-dir', dir]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, 'dbt_packages/base/macros/v.sql'), 'utf8')).toContain('1.0.0');
      expect(readFileSync(join(dir, 'package-lock.yml'), 'utf8')).toContain(`- name: base\n    tarball: ${url}\n`);
      // A tarball that is not there: an error naming the package and the URL.
      writeFileSync(join(dir, 'packages.yml'), `packages:\n  - tarball: ${base}tarballs/missing.tar.gz\n    name: gone\n`);
      const bad = await cliAsync(['deps', '--project-dir', dir]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/cannot download tarball package `gone` from http:\/\/127\.0\.0\.1:\d+\/tarballs\/missing\.tar\.gz: HTTP 404/);
      expect(existsSync(join(dir, 'dbt_packages/base/macros/v.sql'))).toBe(true);
    });

    it('an unknown hub package is an error naming it', async () => {
      const dir = project({ 'packages.yml': 'packages:\n  - package: acme/nope\n    version: 1.0.0\n' });
      const r = await cliAsync(['deps', '--project-dir', dir], { env: { DBT_PACKAGE_HUB_URL: base } });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('package `acme/nope` is not on the dbt package hub');
    });
  });
});

describe('local and git entries that cannot be installed', () => {
  it('a local path without a dbt project', () => {
    const dir = project({ 'packages.yml': 'packages:\n  - local: ../nowhere\n' });
    const r = cli(['deps', '--project-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[DEPS\] packages\.yml:2: local package `\.\.\/nowhere` has no dbt_project\.yml/);
  });

  it('a git revision that does not exist leaves the previous install in place', () => {
    const dir = project({ 'packages.yml': 'packages:\n  - local: pkgs/mine\n', 'pkgs/mine/dbt_project.yml': 'name: mine\n' });
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    writeFileSync(join(repo, 'dbt_project.yml'), 'name: from_git\n');
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['commit', '-qm', 'x']]) execFileSync('git', args, { cwd: repo, env });
    expect(cli(['deps', '--project-dir', dir]).code).toBe(0);
    writeFileSync(join(dir, 'packages.yml'), `packages:\n  - local: pkgs/mine\n  - git: file://${repo}\n    revision: v9.9.9\n`);
    const r = cli(['deps', '--project-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[DEPS\] packages\.yml:3: cannot check out git package file:\/\/.* at v9\.9\.9/);
    expect(readdirSync(join(dir, 'dbt_packages'))).toEqual(['mine']);
  });

  it('one git package required at two revisions is a conflict', () => {
    const dir = project({ 'packages.yml': 'packages:\n  - local: a\n', 'a/dbt_project.yml': 'name: a\n' });
    const repo = join(dir, 'repo');
    mkdirSync(repo);
    writeFileSync(join(repo, 'dbt_project.yml'), 'name: shared\n');
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
    for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['commit', '-qm', 'x'], ['tag', 'v1'], ['tag', 'v2']]) execFileSync('git', args, { cwd: repo, env });
    writeFileSync(join(dir, 'a/packages.yml'), `packages:\n  - git: file://${repo}\n    revision: v2\n`);
    writeFileSync(join(dir, 'packages.yml'), `packages:\n  - local: a\n  - git: file://${repo}\n    revision: v1\n`);
    const r = cli(['deps', '--project-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is required at different revisions: v1 \(by the root project\), v2 \(by package `a`\)/);
  });

  it('require-dbt-version that cairn does not meet is a warning, and the package installs', () => {
    const dir = project({ 'packages.yml': 'packages:\n  - local: p\n', 'p/dbt_project.yml': 'name: p\nrequire-dbt-version: ">=2.0.0"\n' });
    const r = cli(['deps', '--project-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[WARNING\] package `p` requires dbt >=2\.0\.0/);
    expect(existsSync(join(dir, 'dbt_packages/p/dbt_project.yml'))).toBe(true);
  });
});

describe('using packages that are not there', () => {
  it('a package macro before `cairn deps`: names the macro, file and line, and says to run cairn deps', () => {
    const dir = project({
      'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n',
      'models/m.sql': 'select\n  {{ dbt_utils.generate_surrogate_key([\'id\']) }} as k\nfrom (select 1 as id)\n',
    });
    const r = cli(['compile', '--project-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[JINJA_RENDER\] models\/m\.sql:2(:\d+)? \(m\): macro `dbt_utils\.generate_surrogate_key` is from package `dbt_utils`, which is not installed/);
    expect(r.stderr).toMatch(/hint: packages\.yml lists `dbt_utils`: run `cairn deps` to install it/);
  });

  it('a macro an installed package does not have: names the package and suggests the closest', () => {
    const dir = project({
      'packages.yml': 'packages:\n  - local: p\n',
      'p/dbt_project.yml': 'name: p\n',
      'p/macros/m.sql': '{% macro surrogate_key(cols) %}md5({{ cols | join(",") }}){% endmacro %}\n',
      'models/m.sql': 'select {{ p.surrogat_key([\'id\']) }} as k from (select 1 as id)\n',
    });
    expect(cli(['deps', '--project-dir', dir]).code).toBe(0);
    const r = cli(['compile', '--project-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/models\/m\.sql:1(:\d+)? \(m\): package `p` has no macro `surrogat_key`/);
    expect(r.stderr).toMatch(/hint: .*surrogate_key/);
  });

  it('a namespace that is no package and not declared: says so, without mistaking template values for packages', () => {
    const dir = project({
      'models/a.sql': 'select\n {{ codegen.thing(1) }} as a\n',
      'models/b.sql': '{% set d = {} %}select {{ d.thing(1) }}\n',
    });
    const r = cli(['compile', '--project-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/models\/a\.sql:2:\d+ \(a\): cannot call `codegen\.thing`: `codegen` is not an installed package\n\s+hint: if `codegen` is a package, add it to packages\.yml and run `cairn deps`/);
    expect(r.stderr).toMatch(/models\/b\.sql \(b\): Jinja error: Unable to call `d\["thing"\]`/);
  });

  it('a package macro file cairn cannot compile fails only the templates that call it', () => {
    const dir = project({
      'packages.yml': 'packages:\n  - local: p\n',
      'p/dbt_project.yml': 'name: p\n',
      'p/macros/good.sql': '{% macro good() %}1{% endmacro %}\n',
      // A top-level set makes the file compile at load time (its exports are not only its macros).
      'p/macros/bad.sql': '{% set x = 1 %}\n{% macro bad() %}{{ 1 + }}{% endmacro %}\n',
      'models/ok.sql': 'select {{ p.good() }} as one\n',
    });
    expect(cli(['deps', '--project-dir', dir]).code).toBe(0);
    const ok = cli(['compile', '--project-dir', dir]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    writeFileSync(join(dir, 'models/uses_bad.sql'), 'select {{ p.bad() }} as x\n');
    const r = cli(['compile', '--project-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[JINJA_SYNTAX\] p\/macros\/bad\.sql|error\[JINJA_SYNTAX\] dbt_packages\/p\/macros\/bad\.sql:2/);
    expect(r.stderr).not.toMatch(/ok\.sql/);
  });

  it('a doc block name used by both a package and the root project is no duplicate', () => {
    const dir = project({
      'packages.yml': 'packages:\n  - local: p\n',
      'p/dbt_project.yml': 'name: p\n',
      'p/models/docs.md': '{% docs id_col %}from the package{% enddocs %}\n{% docs only_pkg %}package only{% enddocs %}\n',
      'p/models/pm.sql': 'select 1 as id\n',
      'p/models/schema.yml': "version: 2\nmodels:\n  - name: pm\n    description: \"{{ doc('only_pkg') }}\"\n",
      'models/docs.md': '{% docs id_col %}from the root{% enddocs %}\n',
      'models/m.sql': 'select 1 as id\n',
      'models/m2.sql': 'select 1 as id\n',
      'models/schema.yml': "version: 2\nmodels:\n  - name: m\n    description: \"{{ doc('id_col') }}\"\n  - name: m2\n    description: \"{{ doc('p', 'id_col') }} / {{ doc('app', 'id_col') }}\"\n",
    });
    expect(cli(['deps', '--project-dir', dir]).code).toBe(0);
    const r = cli(['compile', '--project-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    const nodes = manifest.nodes;
    expect(nodes['model.app.m'].description).toBe('from the root');
    expect(nodes['model.p.pm'].description).toBe('package only');
    // doc('package', 'name') takes that project's block, even where the root shadows the name.
    expect(nodes['model.app.m2'].description).toBe('from the package / from the root');
    expect(Object.keys(manifest.docs).filter((k) => k.endsWith('.id_col')).sort()).toEqual(['doc.app.id_col', 'doc.p.id_col']);
    const bad = project({ 'models/m.sql': 'select 1 as id\n', 'models/schema.yml': "version: 2\nmodels:\n  - name: m\n    description: \"{{ doc('nopkg', 'x') }}\"\n" });
    expect(cli(['compile', '--project-dir', bad]).stderr).toMatch(/`doc\('nopkg', 'x'\)` refers to a doc block that does not exist/);
  });

  it('ref() to a package that is not installed', () => {
    const dir = project({ 'models/m.sql': "select * from {{ ref('nopkg', 'x') }}\n" });
    const r = cli(['compile', '--project-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refers to `nopkg\.x`, which does not exist/);
    expect(r.stderr).toMatch(/no project or installed package is named `nopkg`/);
  });
});
