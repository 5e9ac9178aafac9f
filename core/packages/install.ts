// `cairn deps`: resolve packages.yml (and each package's own, transitively) or the lock written by
// the last resolve, fetch everything into a scratch folder, then swap the finished install folder
// into place, so that a failure leaves the previous install as it was, never half of a new one.
import { chmodSync, cpSync, existsSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import YAML from 'yaml';
import { CairnError } from '../errors.js';
import { loadProjectConfig } from '../project/project-config.js';
import { readYaml } from '../project/yaml-file.js';
import { fetchGit, fetchTarball, safeUrl } from './fetch.js';
import { hubPackage, type HubPackage } from './hub.js';
import { LOCK_FILE, packagesFileOf, readPackageSpecs, renderEntries, specsHash, type PackageSpec } from './spec.js';
import type { YamlFile } from '../project/yaml-file.js';
import { badRequirement, requirementsOf, resolveVersion, unmetDbtVersion } from './versions.js';
import { DBT_COMPAT_VERSION, installPathOf } from './installed.js';

export interface InstalledPackage {
  name: string;
  /** `local ../x`, `git <url>@<sha>`, `hub dbt-labs/dbt_utils@1.1.1`, `tarball <url>`. */
  source: string;
}

export interface DepsResult {
  installPath: string;
  packages: InstalledPackage[];
  /** Whether package-lock.yml was (re)written: no lock, or packages.yml changed since it was. */
  lockWritten: boolean;
  warnings: CairnError[];
}

interface Fetched {
  name: string;
  dir: string;
  /** Local packages are linked, as dbt links them; the others are copied out of the scratch folder. */
  link: boolean;
  lock: Record<string, unknown>;
  source: string;
  /** The package's own entries (read only when resolving, not when installing from the lock). */
  deps: PackageSpec[];
}

interface Ctx {
  projectDir: string;
  scratch: string;
  hub: Map<string, HubPackage>;
  warnings: CairnError[];
}

const keyOf = (s: PackageSpec): string =>
  s.kind === 'local' ? `local:${s.local}` : s.kind === 'git' ? `git:${s.git}#${s.subdirectory ?? ''}` : s.kind === 'tarball' ? `tarball:${s.tarball}` : `hub:${s.package.toLowerCase()}`;

export interface DepsOptions {
  /** Resolve again even though package-lock.yml matches packages.yml (dbt's `--upgrade`). */
  upgrade?: boolean;
  /** Only resolve and write package-lock.yml; install nothing (dbt's `--lock`). */
  lockOnly?: boolean;
}

export async function installPackages(projectDir: string, vars: Record<string, unknown> = {}, opts: DepsOptions = {}): Promise<DepsResult> {
  const root = resolve(projectDir);
  const config = loadProjectConfig(root, new Map(), vars);
  const installRel = installPathOf(config.raw);
  const installAbs = resolve(root, installRel);
  if (relative(root, installAbs).startsWith('..') || installAbs === root) {
    throw new CairnError('CONFIG_INVALID', `packages-install-path \`${installRel}\` must be a folder inside the project`, { file: 'dbt_project.yml' });
  }
  const file = packagesFileOf(root);
  const specs = file ? readPackageSpecs(root, file) : [];
  if (!specs.length) return { installPath: installRel, packages: [], lockWritten: false, warnings: [] };
  const hash = specsHash(specs);
  const lockPath = join(root, LOCK_FILE);
  const lockFile = existsSync(lockPath) ? readYaml<Record<string, unknown>>(lockPath, LOCK_FILE) : undefined;
  const lock = lockFile?.value;
  const fromLock = !opts.upgrade && !!lock && typeof lock === 'object' && lock.sha1_hash === hash && Array.isArray(lock.packages);
  if (fromLock && opts.lockOnly) return { installPath: installRel, packages: [], lockWritten: false, warnings: [] };
  const scratch = mkdtempSync(join(tmpdir(), 'cairn-deps-'));
  const ctx: Ctx = { projectDir: root, scratch, hub: new Map(), warnings: [] };
  const staging = `${installAbs}.cairn-tmp-${process.pid}`;
  try {
    const fetched = fromLock ? await fetchLocked(ctx, { ...lockFile!, value: { packages: lock!.packages as unknown[] } }) : await resolveAll(ctx, specs);
    checkNames(fetched);
    for (const f of fetched) checkDbtVersion(ctx, f);
    if (opts.lockOnly) {
      writeLock(lockPath, fetched, hash);
      return { installPath: installRel, packages: [], lockWritten: true, warnings: ctx.warnings };
    }
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    for (const f of fetched) {
      const dest = join(staging, f.name);
      if (f.link) symlinkSync(f.dir, dest, 'dir');
      else {
        cpSync(f.dir, dest, { recursive: true, filter: (src) => !/[\\/]\.git$/.test(src) });
        chmodSync(dest, 0o755); // the scratch folders are private (mkdtemp); the install is not
      }
    }
    swapInto(staging, installAbs);
    let lockWritten = false;
    if (!fromLock) {
      writeLock(lockPath, fetched, hash);
      lockWritten = true;
    }
    return { installPath: installRel, packages: fetched.map((f) => ({ name: f.name, source: f.source })), lockWritten, warnings: ctx.warnings };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** package-lock.yml as dbt writes it: keys sorted, each package with its `name`, then `sha1_hash`. */
function writeLock(path: string, fetched: readonly Fetched[], hash: string): void {
  const doc = { packages: fetched.map((f) => ({ ...f.lock, name: f.name })), sha1_hash: hash };
  writeFileSync(path, YAML.stringify(doc, { sortMapEntries: true, lineWidth: 0 }));
}

/** Replaces `dest` with `staging` by renames (the old install is kept until the new one is in place). */
function swapInto(staging: string, dest: string): void {
  mkdirSync(dirname(dest), { recursive: true });
  const old = `${dest}.cairn-old-${process.pid}`;
  const had = existsSync(dest);
  if (had) renameSync(dest, old);
  try {
    renameSync(staging, dest);
  } catch (e) {
    if (had) renameSync(old, dest);
    throw e;
  }
  if (had) rmSync(old, { recursive: true, force: true });
}

/** Every entry and, level by level, the entries of the packages they bring (as dbt resolves them). */
async function resolveAll(ctx: Ctx, rootSpecs: PackageSpec[]): Promise<Fetched[]> {
  const byKey = new Map<string, { spec: PackageSpec; fetched?: Fetched; requirements: Array<{ req: string; from: string }>; revisions: Map<string, string> }>();
  let pending: Array<{ spec: PackageSpec; from: string }> = rootSpecs.map((spec) => ({ spec, from: 'the root project' }));
  for (let depth = 0; pending.length; depth++) {
    if (depth > 32) throw new CairnError('DEPS', 'package dependencies nest more than 32 levels deep (a cycle?)');
    const next: typeof pending = [];
    for (const { spec, from } of pending) {
      const key = keyOf(spec);
      let entry = byKey.get(key);
      const isNew = !entry;
      if (!entry) byKey.set(key, (entry = { spec, requirements: [], revisions: new Map() }));
      if (spec.kind === 'hub') {
        const reqs = requirementsOf(spec.version);
        const bad = badRequirement(reqs);
        if (bad) throw new CairnError('CONFIG_INVALID', `version \`${bad}\` of package \`${spec.package}\` is not a version range`, { file: spec.file, line: spec.line, hint: 'write e.g. ">=1.0.0", "<2.0.0" or 1.1.1' });
        for (const r of reqs) entry.requirements.push({ req: r, from });
      }
      if (spec.kind === 'git') {
        entry.revisions.set(spec.revision ?? 'HEAD', from);
        if (entry.revisions.size > 1) {
          throw new CairnError('DEPS', `git package ${safeUrl(spec.git)} is required at different revisions: ${[...entry.revisions].map(([r, f]) => `${r} (by ${f})`).join(', ')}`, {
            file: spec.file, line: spec.line, hint: 'a git dependency must have exactly one revision; make the entries agree',
          });
        }
      }
      if (isNew) {
        entry.fetched = await fetchOne(ctx, spec, entry.requirements);
        for (const d of entry.fetched.deps) next.push({ spec: d, from: `package \`${entry.fetched.name}\`` });
      }
    }
    pending = next;
  }
  // Hub versions are chosen once every requirement on them is known.
  const out: Fetched[] = [];
  for (const entry of byKey.values()) {
    if (entry.spec.kind === 'hub') out.push(await fetchHubVersion(ctx, entry.spec, entry.requirements));
    else out.push(entry.fetched!);
  }
  return out;
}

async function fetchOne(ctx: Ctx, spec: PackageSpec, requirements: Array<{ req: string; from: string }>): Promise<Fetched> {
  const at = { file: spec.file, line: spec.line };
  switch (spec.kind) {
    case 'local': {
      const dir = resolve(ctx.projectDir, spec.local);
      if (!existsSync(join(dir, 'dbt_project.yml'))) {
        throw new CairnError('DEPS', `local package \`${spec.local}\` has no dbt_project.yml (looked in ${dir})`, { ...at, hint: 'a `local:` path is relative to the root project folder and must hold a dbt project' });
      }
      return described(dir, true, { local: spec.raw.local ?? spec.local }, `local ${spec.local}`);
    }
    case 'git': {
      if (!spec.revision) {
        ctx.warnings.push(new CairnError('DEPS', `the git package ${safeUrl(spec.git)} is not pinned; this can bring breaking changes into your project without warning`, { ...at, hint: 'add `revision:` with a tag or a commit sha' }));
      }
      const got = await fetchGit(ctx.scratch, spec.git, spec.revision, spec.subdirectory, at);
      // The URL as written: with env_var() unrendered, a token in it stays out of the lock.
      return described(got.dir, false, { git: spec.raw.git ?? spec.git, revision: got.sha, ...(spec.subdirectory ? { subdirectory: spec.raw.subdirectory ?? spec.subdirectory } : {}) }, `git ${safeUrl(spec.git)}@${got.sha.slice(0, 12)}`);
    }
    case 'tarball': {
      const dir = await fetchTarball(ctx.scratch, spec.tarball, `tarball package \`${spec.name}\``, at);
      return described(dir, false, { tarball: spec.raw.tarball ?? spec.tarball }, `tarball ${safeUrl(spec.tarball)}`);
    }
    case 'hub':
      return await fetchHubVersion(ctx, spec, requirements);
  }
}

async function fetchHubVersion(ctx: Ctx, spec: Extract<PackageSpec, { kind: 'hub' }>, requirements: Array<{ req: string; from: string }>): Promise<Fetched> {
  const at = { file: spec.file, line: spec.line };
  let pkg = ctx.hub.get(spec.package);
  if (!pkg) ctx.hub.set(spec.package, (pkg = await hubPackage(spec.package, at)));
  const reqs = requirements.map((r) => r.req);
  const version = resolveVersion(reqs, [...pkg.versions.keys()], spec.prerelease);
  if (!version) {
    throw new CairnError('DEPS', `Version error for package ${spec.package}: could not find a satisfactory version from options: ${requirements.map((r) => `${r.req} (${r.from})`).join(', ')}`, {
      ...at, hint: `published versions: ${[...pkg.versions.keys()].slice(-8).join(', ') || 'none'}; make the ranges overlap`,
    });
  }
  const v = pkg.versions.get(version)!;
  const dir = await fetchTarball(ctx.scratch, v.tarball, `${spec.package}@${version}`, at);
  const f = described(dir, false, { package: spec.package, version }, `hub ${spec.package}@${version}`);
  // The hub's record of the version's requirements is what dbt follows.
  f.deps = v.packages.map((raw) => ({ kind: 'hub', package: String(raw.package), version: raw.version, prerelease: false, raw, file: `${spec.package}@${version} (dbt hub)` }) as PackageSpec).filter((d) => d.kind === 'hub' && d.package !== 'undefined');
  return f;
}

/** Names the fetched project (its dbt_project.yml) and reads its own package entries. */
function described(dir: string, link: boolean, lock: Record<string, unknown>, source: string): Fetched {
  const cfg = readYaml<Record<string, unknown>>(join(dir, 'dbt_project.yml'), `${source}: dbt_project.yml`).value;
  const name = cfg && typeof cfg.name === 'string' ? cfg.name : undefined;
  if (!name) throw new CairnError('DEPS', `${source}: its dbt_project.yml has no \`name\``);
  const file = packagesFileOf(dir);
  const deps = file ? readPackageSpecs(dir, file, `${name}/${file}`) : [];
  return { name, dir, link, lock, source, deps };
}

async function fetchLocked(ctx: Ctx, lockFile: YamlFile<{ packages: unknown[] }>): Promise<Fetched[]> {
  const out: Fetched[] = [];
  const entries = renderEntries(lockFile);
  for (const [i, e] of entries.entries()) {
    if (!e || typeof e !== 'object') throw new CairnError('CONFIG_INVALID', `${LOCK_FILE}: entry ${i + 1} is not a mapping`, { file: LOCK_FILE, hint: `delete ${LOCK_FILE} and run cairn deps again` });
    const raw = e as Record<string, unknown>;
    const spec = readPackageSpecsFromLock(raw);
    const f = spec.kind === 'hub' ? await fetchHubVersion(ctx, spec, [{ req: String(raw.version), from: LOCK_FILE }]) : await fetchOne(ctx, spec, []);
    out.push(f);
  }
  return out;
}

function readPackageSpecsFromLock(raw: Record<string, unknown>): PackageSpec {
  const at = { file: LOCK_FILE };
  if (raw.local !== undefined) return { kind: 'local', local: String(raw.local), raw, ...at };
  if (raw.git !== undefined) return { kind: 'git', git: String(raw.git), revision: String(raw.revision ?? 'HEAD'), subdirectory: raw.subdirectory === undefined ? undefined : String(raw.subdirectory), raw, ...at };
  if (raw.tarball !== undefined) return { kind: 'tarball', tarball: String(raw.tarball), name: String(raw.name), raw, ...at };
  if (raw.package !== undefined) return { kind: 'hub', package: String(raw.package), version: raw.version, prerelease: true, raw, ...at };
  throw new CairnError('CONFIG_INVALID', `${LOCK_FILE}: an entry has none of local:, git:, tarball:, package:`, { ...at, hint: `delete ${LOCK_FILE} and run cairn deps again` });
}

function checkNames(fetched: Fetched[]): void {
  const seen = new Map<string, Fetched>();
  for (const f of fetched) {
    const prev = seen.get(f.name);
    if (prev) throw new CairnError('DEPS', `two packages are both named \`${f.name}\`: ${prev.source} and ${f.source}`, { hint: 'a project can install one package of each name; remove one of the entries' });
    seen.set(f.name, f);
  }
}

function checkDbtVersion(ctx: Ctx, f: Fetched): void {
  let req: unknown;
  try {
    req = (readYaml<Record<string, unknown>>(join(f.dir, 'dbt_project.yml')).value as Record<string, unknown>)['require-dbt-version'];
  } catch {
    return;
  }
  const unmet = unmetDbtVersion(req, DBT_COMPAT_VERSION);
  if (unmet.length) {
    ctx.warnings.push(new CairnError('DEPS', `package \`${f.name}\` requires dbt ${unmet.join(', ')}; cairn reads projects as dbt ${DBT_COMPAT_VERSION} does`, {
      hint: 'it may still work; check its release notes, or pin a version made for this dbt version',
    }));
  }
}

