// undici, loaded on first use: it is a large module and most invocations (compile, ls, DuckDB runs)
// never make an HTTP request, so loading it at startup only costs time. For the same
// reason the CLI bundle leaves it out (a plain require at run time); it is resolved from cairn's
// package root, which is where node_modules is whether this runs from dist/core or dist/cairn.mjs.
import { createRequire } from 'node:module';
import { packagePath } from './package-root.js';

type Undici = typeof import('undici');
let mod: Undici | undefined;

export const undici = (): Undici => (mod ??= createRequire(packagePath('package.json'))('undici') as Undici);
