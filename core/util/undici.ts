// undici, loaded on first use: it is a large module and most invocations (compile, ls, DuckDB runs)
// never make an HTTP request, so loading it at startup only costs time.
import { createRequire } from 'node:module';

type Undici = typeof import('undici');
let mod: Undici | undefined;

export const undici = (): Undici => (mod ??= createRequire(import.meta.url)('undici') as Undici);
