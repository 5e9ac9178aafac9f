// After tsc: bundle the CLI into one file, and make both entry points executable.
// Why a bundle: Node's ESM loader costs ~1-2 ms per module and the CLI is ~300 of them (dist/**
// plus commander, yaml, nunjucks...); one file cuts that fixed cost from every command.
// The bundle is built from tsc's output, so it runs exactly the code the tests run.
import { chmodSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const file = (p) => new URL(p, root).pathname;

await build({
  entryPoints: [file('dist/cli/main.js')],
  outfile: file('dist/cairn.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // Left to Node at run time: a native addon, a package that loads its .wasm relative to itself,
  // and undici, which core/util/undici.ts requires only when an HTTP call is made.
  external: ['@duckdb/node-api', '@guanmingchiu/sqlparser-ts', 'undici'],
  // Bundled CommonJS packages (commander, nunjucks, js-yaml...) call require() for Node built-ins;
  // an ES module has no require, so give the bundle one.
  banner: { js: "import { createRequire as __cairnCreateRequire } from 'node:module';\nconst require = __cairnCreateRequire(import.meta.url);" },
});

for (const bin of ['dist/cli/main.js', 'dist/cairn.mjs']) chmodSync(file(bin), 0o755);
