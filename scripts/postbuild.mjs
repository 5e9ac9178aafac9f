// After tsc: bundle the CLI into one file, and make both entry points executable.
// Why a bundle: Node's ESM loader costs ~1-2 ms per module and the CLI is ~300 of them (dist/**
// plus commander, yaml, nunjucks...); one file cuts that fixed cost from every command.
// The bundle is built from tsc's output, so it runs exactly the code the tests run.
//
// Two files: dist/cairn.cjs is the CLI as one CommonJS script, and dist/cairn.mjs (cli/launch.ts,
// package.json `bin`) runs it through vm.Script with V8's code cache, which Node 20 offers for
// scripts only (not ES modules).
import { chmodSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const file = (p) => new URL(p, root).pathname;
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

await build({
  ...common,
  entryPoints: [file('dist/cli/main.js')],
  outfile: file('dist/cairn.cjs'),
  format: 'cjs',
  // Left to Node at run time: a native addon, a package that loads its .wasm relative to itself,
  // and undici, which core/util/undici.ts requires only when an HTTP call is made.
  external: ['@duckdb/node-api', '@guanmingchiu/sqlparser-ts', 'undici'],
  // The modules find cairn's own files from import.meta.url (core/util/package-root.ts).
  define: { 'import.meta.url': '__cairnModuleUrl' },
  banner: { js: "const __cairnModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});

await build({
  ...common,
  entryPoints: [file('dist/cli/launch.js')],
  outfile: file('dist/cairn.mjs'),
  format: 'esm',
  banner: { js: '#!/usr/bin/env node' },
});

for (const bin of ['dist/cli/main.js', 'dist/cairn.mjs']) chmodSync(file(bin), 0o755);
