// Standalone emulator for manual runs and benchmarks:
//   node dist/test/dremio-emulator/main.js --port 9047 [--mode software|cloud] [--storage lake=/path]
//     [--source name[=NAS|S3|...]] [--catalog name (NESSIE)] [--rest-catalog name] [--space name]
//     [--project-id id] [--job-polls N] [--job-duration-ms N] [--user name=password] [--pat token]
// Repeatable flags may be given several times. Runs until SIGINT/SIGTERM.
// With no source, catalog or storage flags it serves what the sample project's `dremio` target needs:
// `lake` (a NAS file-system source: Iceberg tables, so every materialization works), `$scratch`
// (INTERNAL, for the `dremio_scratch` target) and sample-project/data as the storage location `@samples`.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator, type EmulatorOptions } from './server.js';
import { SOURCE_TYPES, type SourceType } from './source-types.js';

/** The file-system source the sample project's `dremio` target writes its tables to. */
const DEFAULT_SOURCE = 'lake';

function pairs(values: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const i = v.indexOf('=');
    if (i <= 0) throw new Error(`${flag} expects name=value, got "${v}"`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

function intFlag(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} expects a non-negative integer, got "${v}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' }, mode: { type: 'string' }, 'project-id': { type: 'string' },
      storage: { type: 'string', multiple: true }, source: { type: 'string', multiple: true },
      catalog: { type: 'string', multiple: true }, 'rest-catalog': { type: 'string', multiple: true }, space: { type: 'string', multiple: true },
      user: { type: 'string', multiple: true }, pat: { type: 'string', multiple: true },
      'job-polls': { type: 'string' }, 'job-duration-ms': { type: 'string' },
    },
  });
  const mode = values.mode ?? 'software';
  if (mode !== 'software' && mode !== 'cloud') throw new Error(`--mode must be software or cloud, got "${mode}"`);
  const storageRoots = pairs(values.storage, '--storage');
  // With no storage flags, serve the sample project's data as `@samples`, so
  // `cd sample-project && cairn build --target dremio` works against a bare `npm run emulator`.
  const bare = !values.storage && !values.source && !values.catalog && !values['rest-catalog'];
  if (bare) storageRoots.samples = join(dirname(fileURLToPath(import.meta.url)), '../../../sample-project/data');
  const users = pairs(values.user, '--user');
  // `--source name=TYPE` sets the source's type (default NAS).
  const sourceTypes: Record<string, SourceType> = {};
  const sources: string[] = bare ? [DEFAULT_SOURCE] : [];
  for (const v of values.source ?? []) {
    const [name, type] = v.split('=', 2) as [string, string | undefined];
    if (!type) { sources.push(name); continue; }
    const t = type.toUpperCase() as SourceType;
    if (!SOURCE_TYPES.includes(t) || t === 'INTERNAL') throw new Error(`--source ${name}=${type}: the type must be one of ${SOURCE_TYPES.filter((x) => x !== 'INTERNAL').join(', ')}`);
    sourceTypes[name] = t;
  }
  const opts: EmulatorOptions = {
    mode,
    port: intFlag(values.port, '--port') ?? 0,
    // A storage root implies an object-storage source of the same name.
    sources: [...new Set([...sources, ...Object.keys(storageRoots)])],
    sourceTypes,
    catalogs: values.catalog ?? [],
    restCatalogs: values['rest-catalog'] ?? [],
    spaces: values.space ?? [],
    storageRoots,
    pats: values.pat ?? [],
    ...(Object.keys(users).length > 0 ? { users } : {}),
    ...(values['project-id'] ? { projectId: values['project-id'] } : {}),
  };
  const polls = intFlag(values['job-polls'], '--job-polls');
  const duration = intFlag(values['job-duration-ms'], '--job-duration-ms');
  if (polls !== undefined) opts.jobPolls = polls;
  if (duration !== undefined) opts.jobDurationMs = duration;
  const emulator = await startEmulator(opts);
  console.log(`Dremio emulator listening on ${emulator.url}`);
  for (const c of emulator.catalog.roots()) if (c.kind === 'source') console.log(`Source ${c.path[0]} (${c.sourceType})`);
  if (mode === 'cloud') console.log(`Cloud project base: ${emulator.cloudBase}`);
  for (const [name, dir] of Object.entries(storageRoots)) console.log(`Storage location @${name} -> ${dir}`);
  const stop = (): void => { void emulator.close().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
