// Standalone emulator for manual runs and benchmarks:
//   node dist/test/dremio-emulator/main.js --port 9047 [--mode software|cloud] [--storage lake=/path]
//     [--source name] [--catalog name] [--space name] [--project-id id] [--job-polls N] [--job-duration-ms N]
//     [--user name=password] [--pat token]
// Repeatable flags may be given several times. Runs until SIGINT/SIGTERM.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator, type EmulatorOptions } from './server.js';

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
      catalog: { type: 'string', multiple: true }, space: { type: 'string', multiple: true },
      user: { type: 'string', multiple: true }, pat: { type: 'string', multiple: true },
      'job-polls': { type: 'string' }, 'job-duration-ms': { type: 'string' },
    },
  });
  const mode = values.mode ?? 'software';
  if (mode !== 'software' && mode !== 'cloud') throw new Error(`--mode must be software or cloud, got "${mode}"`);
  const storageRoots = pairs(values.storage, '--storage');
  // With no storage flags, serve the sample project's data as `@samples`, so
  // `cd sample-project && cairn build --target dremio` works against a bare `npm run emulator`.
  if (!values.storage && !values.source) storageRoots.samples = join(dirname(fileURLToPath(import.meta.url)), '../../../sample-project/data');
  const users = pairs(values.user, '--user');
  const opts: EmulatorOptions = {
    mode,
    port: intFlag(values.port, '--port') ?? 0,
    // A storage root implies an object-storage source of the same name.
    sources: [...new Set([...(values.source ?? []), ...Object.keys(storageRoots)])],
    catalogs: values.catalog ?? [],
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
