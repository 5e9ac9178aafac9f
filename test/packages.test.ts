// Packages end to end: `cairn deps` installs a local package and git packages (bare repositories made
// here, one a dependency of the other), writes package-lock.yml pinning the commits, installs again
// to the same result; `cairn build` then runs the packages' models, seeds and generic tests on DuckDB.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, repoRoot, tempDir } from './helpers/project.js';
import { queryDuckdb } from './helpers/duckdb.js';

const FIXTURE = join(repoRoot, 'test/fixtures/packages');
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).trim();

/** A bare repository holding `src` as one commit on `main`; returns its path and the commit. */
function bareRepo(root: string, src: string, name: string): { path: string; sha: string } {
  const work = join(root, `${name}-work`);
  cpSync(src, work, { recursive: true });
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '-A');
  git(work, 'commit', '-qm', 'init');
  const path = join(root, `${name}.git`);
  git(root, 'clone', '-q', '--bare', work, path);
  return { path, sha: git(work, 'rev-parse', 'HEAD') };
}

/** The fixture in a temp folder, its git packages as bare repositories beside it. */
function setup(): { dir: string; env: Record<string, string>; utilsSha: string; depSha: string; root: string } {
  const root = tempDir('cairn-packages-');
  dirs.push(root);
  const dir = join(root, 'project');
  cpSync(FIXTURE, dir, { recursive: true, filter: (s) => !/\/vendor\/git_|\/target(\/|$)|\.duckdb$|dbt_packages|package-lock/.test(s) });
  const utils = bareRepo(root, join(FIXTURE, 'vendor/git_utils'), 'git_utils');
  const dep = bareRepo(root, join(FIXTURE, 'vendor/git_dep'), 'git_dep');
  // One as a file:// URL, one as a plain path: git takes both.
  return { dir, root, env: { CAIRN_TEST_GIT_URL: `file://${utils.path}`, CAIRN_TEST_GIT_DEP_URL: dep.path }, utilsSha: utils.sha, depSha: dep.sha };
}

/** Every file under `dir` (following the local package's link) with its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      const r = rel ? `${rel}/${e}` : e;
      if (lstatSync(p).isSymbolicLink()) out[r] = `-> link`;
      else if (lstatSync(p).isDirectory()) walk(p, r);
      else out[r] = readFileSync(p, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

describe('cairn deps + build on a project with local and git packages', () => {
  let s: ReturnType<typeof setup>;
  let firstDeps: ReturnType<typeof cli>;
  beforeAll(() => {
    s = setup();
    firstDeps = cli(['deps', '--project-dir', s.dir], { env: s.env });
  });

  it('installs every package, the git dependency of a git package too', () => {
    expect(firstDeps.stderr).toBe('');
    expect(firstDeps.code).toBe(0);
    expect(readdirSync(join(s.dir, 'dbt_packages')).sort()).toEqual(['dbt_utils', 'git_dep', 'git_utils']);
    // A local package is linked, as dbt links it; git packages are copied without their .git.
    expect(lstatSync(join(s.dir, 'dbt_packages/dbt_utils')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(s.dir, 'dbt_packages/git_utils/macros/greeting.sql'))).toBe(true);
    expect(existsSync(join(s.dir, 'dbt_packages/git_utils/.git'))).toBe(false);
    // No scratch or staging folder is left behind.
    expect(readdirSync(s.dir).filter((n) => n.includes('cairn-tmp') || n.includes('cairn-old'))).toEqual([]);
    // The transitive git entry is unpinned: dbt warns about that.
    expect(firstDeps.stdout).toMatch(/\[WARNING\] the git package .*git_dep\.git is not pinned/);
  });

  it('writes package-lock.yml as dbt does: every package with its name, git commits pinned, env_var() left unrendered', () => {
    const lock = readFileSync(join(s.dir, 'package-lock.yml'), 'utf8');
    expect(lock).toContain(`revision: ${s.utilsSha}`);
    expect(lock).toContain(`revision: ${s.depSha}`);
    expect(lock).toContain("git: \"{{ env_var('CAIRN_TEST_GIT_URL') }}\"");
    expect(lock).not.toContain(s.root); // no rendered URL (they may carry tokens)
    expect(lock).toMatch(/- local: vendor\/dbt_utils_mini\n\s+name: dbt_utils/);
    expect(lock).toMatch(/^sha1_hash: [0-9a-f]{40}$/m);
  });

  it('installs again from the lock to the same result, even after the branch moved', () => {
    const before = { lock: readFileSync(join(s.dir, 'package-lock.yml'), 'utf8'), files: tree(join(s.dir, 'dbt_packages')) };
    // A new commit on the git package's branch: the lock keeps the pinned one.
    const work = join(s.root, 'git_utils-work');
    writeFileSync(join(work, 'macros/greeting.sql'), '{% macro greeting() %}changed{% endmacro %}\n');
    git(work, 'commit', '-qam', 'change');
    git(work, 'push', '-q', join(s.root, 'git_utils.git'), 'main');
    const again = cli(['deps', '--project-dir', s.dir], { env: s.env });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('(from package-lock.yml)');
    expect(readFileSync(join(s.dir, 'package-lock.yml'), 'utf8')).toBe(before.lock);
    expect(tree(join(s.dir, 'dbt_packages'))).toEqual(before.files);
  });

  it('builds: package models, seeds and generic tests are nodes of their package, configured by both projects', async () => {
    const r = cli(['build', '--project-dir', s.dir], { env: s.env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS=11 WARN=0 ERROR=0 SKIP=0 TOTAL=11/);
    const manifest = JSON.parse(readFileSync(join(s.dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { package_name: string; fqn: string[]; config: Record<string, unknown>; depends_on: { nodes: string[] } }> };
    const cal = manifest.nodes['model.dbt_utils.calendar_days']!;
    expect(cal.package_name).toBe('dbt_utils');
    expect(cal.fqn).toEqual(['dbt_utils', 'calendar_days']);
    // The package makes its models views; the root project's `models: {dbt_utils: ...}` wins.
    expect(cal.config.materialized).toBe('table');
    expect(cal.config.tags).toEqual(['from_root']);
    expect(manifest.nodes['model.git_utils.git_model']!.config.materialized).toBe('view');
    expect(manifest.nodes['seed.dbt_utils.utils_codes']).toBeDefined();
    const ls = cli(['ls', '--project-dir', s.dir, '--select', 'package:dbt_utils', '--output', 'name'], { env: s.env });
    expect(ls.stdout.trim().split('\n').sort()).toEqual(['accepted_range_calendar_days_day_number__1', 'calendar_days', 'not_null_calendar_days_day_number', 'utils_codes']);
    expect(manifest.nodes['model.shop_pkgs.order_days']!.depends_on.nodes).toContain('model.dbt_utils.calendar_days');
    const tests = Object.keys(manifest.nodes).filter((k) => k.startsWith('test.'));
    expect(tests.some((k) => k.startsWith('test.shop_pkgs.dbt_utils_unique_combination_of_columns_orders_order_id__customer_id.'))).toBe(true);
    expect(tests.some((k) => k.startsWith('test.dbt_utils.accepted_range_calendar_days_day_number__1.'))).toBe(true);

    const db = join(s.dir, 'shop.duckdb');
    // cents_to_dollars calls the package's round_to unqualified; vars scoped to the package: 3 days.
    expect(await queryDuckdb(db, 'select order_id, amount from main.orders order by 1')).toEqual([
      { order_id: 1, amount: 12.5 }, { order_id: 2, amount: 9.9 }, { order_id: 3, amount: 400 },
    ]);
    expect(await queryDuckdb(db, 'select count(*) as n, min(greeting) as g, min(answer) as a from main.order_days')).toEqual([{ n: 9, g: 'hello from git', a: 42 }]);
    // The package's on-run-end ran, then the root's, which reads what it made.
    expect(await queryDuckdb(db, 'select v from main.root_hook_ran')).toEqual([{ v: 3 }]);
  });

  it('a failing package generic test fails the build, with its arguments applied', () => {
    const yml = join(s.dir, 'models/schema.yml');
    writeFileSync(yml, readFileSync(yml, 'utf8').replace('max_value: 1000', 'max_value: 100'));
    const r = cli(['build', '--project-dir', s.dir, '--select', 'orders'], { env: s.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL 1 test dbt_utils_accepted_range_orders_amount__100__0|dbt_utils_accepted_range_orders_amount__100__0 \.+ \[FAIL 1/);
  });

  it('--upgrade resolves again and moves the pin to the branch head; --lock only writes the lock', () => {
    const head = git(join(s.root, 'git_utils-work'), 'rev-parse', 'HEAD');
    expect(head).not.toBe(s.utilsSha);
    expect(readFileSync(join(s.dir, 'package-lock.yml'), 'utf8')).toContain(`revision: ${s.utilsSha}`);
    const up = cli(['deps', '--upgrade', '--project-dir', s.dir], { env: s.env });
    expect(up.code).toBe(0);
    expect(readFileSync(join(s.dir, 'dbt_packages/git_utils/macros/greeting.sql'), 'utf8')).toContain('changed');
    expect(readFileSync(join(s.dir, 'package-lock.yml'), 'utf8')).toContain(`revision: ${head}`);

    const installed = tree(join(s.dir, 'dbt_packages'));
    const lock = readFileSync(join(s.dir, 'package-lock.yml'), 'utf8');
    rmSync(join(s.dir, 'package-lock.yml'));
    rmSync(join(s.dir, 'dbt_packages/git_dep'), { recursive: true });
    const lockOnly = cli(['deps', '--lock', '--project-dir', s.dir], { env: s.env });
    expect(lockOnly.code).toBe(0);
    expect(readFileSync(join(s.dir, 'package-lock.yml'), 'utf8')).toBe(lock);
    const { 'git_dep/dbt_project.yml': _a, 'git_dep/macros/answer.sql': _b, ...rest } = installed;
    expect(tree(join(s.dir, 'dbt_packages'))).toEqual(rest); // nothing installed
  });
});
