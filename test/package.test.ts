// The package as users get it: `npm pack`, then installed from the tarball into an empty folder. Its
// `files`, `bin` and build output must be complete: `cairn --version`, `init`, the sample's `build`
// and `docs generate` run from the installed copy, never from this checkout.
// The install is offline: a lock file made from this checkout's (the same resolved tarballs and
// integrity hashes, production packages only) lets `npm ci --offline` take everything from npm's
// cache, which `npm install`/`npm ci` of this checkout filled.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from './helpers/project.js';

const work = tempDir('cairn-pack-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function sh(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false' } });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function offlineLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies: { cairn: `file:${tarball}` } },
    'node_modules/cairn': { version: pkg.version, resolved: `file:${tarball}`, integrity, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  for (const [k, v] of Object.entries(lock.packages)) if (k !== '' && !v.dev) packages[k] = v;
  return { name: 'app', lockfileVersion: 3, requires: true, packages };
}

describe('the packed package', { timeout: 180_000 }, () => {
  it('installs from its tarball and runs --version, init, the sample build and docs generate', () => {
    const packed = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', work], repoRoot);
    expect(packed.code, packed.out).toBe(0);
    const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, dependencies: { cairn: `file:${tarball}` } }));
    writeFileSync(join(app, 'package-lock.json'), JSON.stringify(offlineLock(tarball)));
    const install = sh('npm', ['ci', '--offline'], app);
    if (install.code !== 0 && /ENOTCACHED/.test(install.out) && !process.env.CI) {
      console.warn("package test skipped: npm's cache lacks this checkout's dependencies (run `npm ci` first); it installs offline only");
      return;
    }
    expect(install.code, install.out).toBe(0);
    // Only what `files` lists was shipped: no sources, tests or benchmarks.
    const shipped = join(app, 'node_modules/cairn');
    expect(existsSync(join(shipped, 'dist/cairn.mjs'))).toBe(true);
    expect(existsSync(join(shipped, 'templates'))).toBe(true);
    for (const absent of ['core', 'test', 'dist/test', 'dist/bench', 'sample-project']) expect(existsSync(join(shipped, absent)), absent).toBe(false);

    const cairn = join(app, 'node_modules/.bin/cairn');
    const version = sh(cairn, ['--version'], app);
    expect(version.code).toBe(0);
    expect(version.out.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version);

    expect(sh(cairn, ['init', 'starter'], app).code).toBe(0);
    expect(sh(cairn, ['build'], join(app, 'starter')).out).toMatch(/Done\. PASS=2 WARN=0 ERROR=0/);

    const sample = join(work, 'sample');
    cpSync(join(repoRoot, 'sample-project'), sample, { recursive: true, filter: (src) => !/\.duckdb|\/target(\/|$)/.test(src) });
    const build = sh(cairn, ['build'], sample);
    expect(build.code, build.out).toBe(0);
    expect(build.out).toMatch(/Done\. PASS=\d+ WARN=0 ERROR=0 SKIP=0/);
    const docs = sh(cairn, ['docs', 'generate'], sample);
    expect(docs.code, docs.out).toBe(0);
    expect(existsSync(join(sample, 'target/index.html'))).toBe(true);
  });
});
