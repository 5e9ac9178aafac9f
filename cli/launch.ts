// The `cairn` executable (bundled by scripts/postbuild.mjs into dist/cairn.mjs): runs the CLI bundle
// dist/cairn.cjs with V8's code cache. Compiling the 1.3 MB bundle, and then each function it calls
// the first time, cost ~50 ms of every command on a 2-core machine; with the cache the same command
// starts from bytecode V8 wrote on an earlier run. Node 22 has this built in
// (module.enableCompileCache); Node 20 has vm.Script's cachedData, which needs a CommonJS script.
//
// The cache lives in the user's cache folder (~/.cache/cairn/v8), only in a folder of this user's
// that nobody else can write to: code read from it runs as is. It is keyed by the bundle file and
// the Node binary; V8 also refuses data from another V8 version or other flags. CAIRN_NO_CODE_CACHE=1
// turns it off. Any failure to read or write it only costs the compile it would have saved.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

// package.json's engines, said plainly rather than as a missing export later (zlib.crc32: 20.15).
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 15)) {
  process.stderr.write(`cairn needs Node.js 20.15 or newer; this is ${process.versions.node}\n`);
  process.exit(2);
}

// Less inlining in V8's optimizing compiler. A command is over in seconds, and the optimizing
// compiles of its hot functions ran on V8's background threads: ~1.4 s of CPU in a 2.3 s cold
// compile of 10,000 models on 2 cores, competing with the main thread for the second core (the
// main thread waited ~0.5 s for a core). With at most 150 bytes of bytecode inlined into a
// function (default 920) they cost ~1.0 s, the main thread ran about as fast and waited ~0.3 s:
// 3-11% less wall time in interleaved runs in the machine's fast minutes, within the noise in its
// slow ones (bench/RESULTS.md). Set before the bundle is compiled: V8 keys the code cache by its
// flags. A flag given to node itself is left alone.
if (!process.execArgv.some((a) => a.includes('inlined-bytecode'))) setFlagsFromString('--max-inlined-bytecode-size-cumulative=150');

const bundle = join(dirname(fileURLToPath(import.meta.url)), 'cairn.cjs');
// esbuild writes the bundle as ASCII (non-ASCII escaped): Latin-1 decodes it twice as fast as UTF-8.
// Its first line is main.ts's `#!`, valid only at the very start of a script: made a comment.
const source = readFileSync(bundle, 'latin1').replace(/^#!/, '//');
const cache = cacheFile();
let cachedData: Buffer | undefined;
if (cache) {
  try {
    cachedData = readFileSync(cache.file);
  } catch {
    // first run of this command with this bundle
  }
}
const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
// The bundle's own import() is unusable once its functions come from the cache (core/util/import-module.ts).
(globalThis as { __cairnImport?: (s: string) => Promise<unknown> }).__cairnImport = (specifier) => import(specifier);
if (cache && (!cachedData || script.cachedDataRejected)) {
  // At exit the cache holds the functions this command compiled too, not only the top level.
  process.once('exit', () => writeCache(cache.dir, cache.file, cache.prefix, script));
}
const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, dirname(bundle));

function cacheFile(): { dir: string; file: string; prefix: string } | undefined {
  if (process.env.CAIRN_NO_CODE_CACHE === '1' || typeof process.getuid !== 'function') return undefined;
  try {
    const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'cairn', 'v8');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    if (st.uid !== process.getuid() || (st.mode & 0o022) !== 0) return undefined;
    const b = statSync(bundle);
    const prefix = createHash('sha256')
      .update(JSON.stringify([b.size, b.mtimeMs, b.ino, bundle, process.execPath, process.version, process.arch, process.execArgv]))
      .digest('hex')
      .slice(0, 20);
    // One file per command: each holds the functions its command runs.
    const command = /^[a-z][a-z-]{0,30}$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
    return { dir, file: join(dir, `${prefix}-${command}.bin`), prefix };
  } catch {
    return undefined;
  }
}

function writeCache(dir: string, file: string, prefix: string, s: Script): void {
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, s.createCachedData(), { mode: 0o600 });
    renameSync(tmp, file);
    // Caches of earlier builds are dead weight (those of another checkout in use are kept a day).
    for (const f of readdirSync(dir)) {
      const other = join(dir, f);
      if (!f.startsWith(prefix) && Date.now() - statSync(other).mtimeMs > 86_400_000) unlinkSync(other);
    }
  } catch {
    // a read-only or full disk: the next run compiles again
  }
}
