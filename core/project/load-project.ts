// The load pass: read dbt_project.yml, the profile, and every file of the project. No rendering of
// models yet; that is the parse pass.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AdapterProvider, Dialect, Target } from '../../adapters/adapter.js';
import { FileFinder, type SourceFile } from './discover.js';
import { loadProfile, publicTargetOf } from './profiles.js';
import { loadProjectConfig, renderTargetConfigs, resourceRoots } from './project-config.js';
import { readSchemaFiles, SchemaParse, type SchemaFiles } from './schema-yaml.js';
import { YamlValueCache } from '../cache/yaml-cache.js';
import { CACHE_FILE } from '../cache/partial-parse-file.js';
import { StatPrefetch } from './stat-prefetch.js';
import type { CairnError } from '../errors.js';
import type { ProjectConfig, RunContextOptions } from './types.js';
import { loadInstalledPackages, type InstalledPackage } from '../packages/installed.js';

/** An installed package as loaded: its project config and its macro files (its other files join the root's lists). */
export interface LoadedPackage extends InstalledPackage {
  macroFiles: SourceFile[];
}

export interface LoadedProject {
  projectDir: string;
  config: ProjectConfig;
  target: Target;
  profileName: string;
  profilesFile: string;
  dialect: Dialect;
  modelFiles: SourceFile[];
  macroFiles: SourceFile[];
  seedFiles: SourceFile[];
  testFiles: SourceFile[];
  snapshotFiles: SourceFile[];
  docFiles: SourceFile[];
  /** Schema YAML files (their text; `schema` is what they parse to). */
  yamlFiles: SourceFile[];
  readonly schema: SchemaFiles;
  /** Starts parsing the schema YAML (on a worker when there is much to parse); `schema` waits for it. */
  prepareSchema(): void;
  /** What some of the schema YAML files hold, without parsing the others. */
  schemaOf(files: readonly SourceFile[]): SchemaFiles;
  envRead: Map<string, string | undefined>;
  /** The walk behind the file lists above, for asking it for more (every file of a folder). */
  files: FileFinder;
  cliVars: Record<string, unknown>;
  /** Problems that do not stop loading (an ignored cache). */
  warnings: CairnError[];
  /** Installed packages (core/packages/); their models, seeds, tests, snapshots, docs and YAML are in the lists above. */
  packages: LoadedPackage[];
}

export function loadProject(opts: RunContextOptions, adapters: AdapterProvider): LoadedProject {
  const projectDir = resolve(opts.projectDir);
  const envRead = new Map<string, string | undefined>();
  const cliVars = opts.vars ?? {};
  const config = loadProjectConfig(projectDir, envRead, cliVars);
  const cacheBytes = partialParseBytes(projectDir, config);
  const prefetch = statPrefetchWanted(cacheBytes) ? StatPrefetch.start(projectDir, resourceRoots(config)) : undefined;
  const profile = loadProfile({ projectDir, profilesDir: opts.profilesDir, profileName: opts.profile ?? config.profile, profileFromFlag: opts.profile !== undefined, targetName: opts.target, threads: opts.threads, envRead });
  const dialect = adapters.dialect(profile.target);
  if (profile.target.database === undefined && dialect.defaultDatabase) {
    const db = dialect.defaultDatabase(profile.target);
    if (db) profile.target.database = db;
  }
  if (!profile.schemaGiven && dialect.defaultSchema) profile.target.schema = dialect.defaultSchema(profile.target);
  renderTargetConfigs(config, publicTargetOf(profile.target, config.profile), envRead, cliVars);
  const ymlPaths = [...config.modelPaths, ...config.seedPaths, ...config.snapshotPaths, ...config.testPaths, ...config.analysisPaths, ...config.macroPaths];
  const files = new FileFinder(projectDir, prefetch);
  const warnings: CairnError[] = [];
  const yamlCache = YamlValueCache.open(resolve(projectDir, config.targetPath), (w) => warnings.push(w));
  const yml = files.find([...new Set(ymlPaths)], ['.yml', '.yaml']);
  // Not before it is asked for: an invocation served by the parse snapshot reads no YAML.
  let schema: SchemaParse | undefined;
  const prepareSchema = () => (schema ??= new SchemaParse(yml, yamlCache));
  const packages = loadInstalledPackages(projectDir, config, envRead, cliVars, (w) => warnings.push(w)).map((pkg) => ({ ...pkg, macroFiles: files.find(under(pkg.dir, pkg.config.macroPaths), ['.sql']) }));
  for (const pkg of packages) renderTargetConfigs(pkg.config, publicTargetOf(profile.target, config.profile), envRead, cliVars);
  const docRoots = config.docsPaths.length ? config.docsPaths : [...config.modelPaths, ...config.seedPaths, ...config.snapshotPaths, ...config.testPaths, ...config.macroPaths, ...config.analysisPaths];
  const modelFiles = files.find(config.modelPaths, ['.sql']);
  // Package files follow the root's: the same passes parse them, each under its package's name.
  const withPackages = (list: SourceFile[], roots: (c: ProjectConfig) => string[], exts: string[]) => {
    for (const pkg of packages) list.push(...files.find(under(pkg.dir, [...new Set(roots(pkg.config))]), exts));
    return list;
  };
  if (packages.length) {
    withPackages(modelFiles, (c) => c.modelPaths, ['.sql']);
    withPackages(yml, (c) => [...c.modelPaths, ...c.seedPaths, ...c.snapshotPaths, ...c.testPaths, ...c.analysisPaths, ...c.macroPaths], ['.yml', '.yaml']);
  }
  // With no partial-parse cache every model file is read: a worker reads them ahead.
  if (cacheBytes === 0) files.prefetchContents(modelFiles);
  const loaded: LoadedProject = {
    projectDir,
    config,
    target: profile.target,
    profileName: profile.profileName,
    profilesFile: profile.profilesFile,
    dialect,
    modelFiles,
    macroFiles: files.find(config.macroPaths, ['.sql']),
    seedFiles: withPackages(files.find(config.seedPaths, ['.csv']), (c) => c.seedPaths, ['.csv']),
    testFiles: withPackages(files.find(config.testPaths, ['.sql']), (c) => c.testPaths, ['.sql']),
    snapshotFiles: withPackages(files.find(config.snapshotPaths, ['.sql']), (c) => c.snapshotPaths, ['.sql']),
    docFiles: withPackages(files.find([...new Set(docRoots)], ['.md']), (c) => (c.docsPaths.length ? c.docsPaths : [...c.modelPaths, ...c.seedPaths, ...c.snapshotPaths, ...c.testPaths, ...c.macroPaths, ...c.analysisPaths]), ['.md']),
    yamlFiles: yml,
    // Parsed in a worker while the parse pass compiles templates; the first read waits for it.
    get schema() {
      const value = prepareSchema().get();
      yamlCache.save();
      Object.defineProperty(loaded, 'schema', { value, enumerable: true });
      return value;
    },
    prepareSchema: () => void prepareSchema(),
    schemaOf: (some) => readSchemaFiles(some, yamlCache),
    envRead,
    files,
    cliVars,
    warnings,
    packages,
  };
  return loaded;
}

/** `roots` of a package, relative to the root project (`dbt_packages/x/models`). */
function under(dir: string, roots: readonly string[]): string[] {
  return roots.map((r) => `${dir}/${r.replace(/^\.\//, '').replace(/\/+$/, '')}`);
}

/**
 * Whether to have the files stat'ed by a child process: when the partial-parse cache will answer
 * from their stats (a cold parse reads every file anyway) and there are a couple of thousand of
 * them (~1.5 kB of cache each): starting it costs ~5-10 ms. CAIRN_STAT_PREFETCH=0/1 decides instead.
 */
function statPrefetchWanted(cacheBytes: number): boolean {
  const forced = process.env.CAIRN_STAT_PREFETCH;
  if (forced === '0' || forced === '1') return forced === '1';
  return cacheBytes > 3_000_000;
}

/** The size of the partial-parse cache file; 0 when there is none or it is not used. */
function partialParseBytes(projectDir: string, c: ProjectConfig): number {
  if (process.env.CAIRN_NO_PARTIAL_PARSE === '1') return 0;
  return statSync(join(projectDir, c.targetPath, CACHE_FILE), { throwIfNoEntry: false })?.size ?? 0;
}
