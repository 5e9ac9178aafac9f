// Docs and lineage entry points. The modules behind them load the SQL parser (WASM, ~100 ms), so
// they are imported on first use: `cairn run` and `compile` never pay for it.
import type { DocsGenerateOptions, DocsGenerateResult } from '../docs/generate.js';
import type { LineageQueryOptions, LineageQueryResult } from '../docs/lineage-query.js';
import type { ServeOptions } from '../docs/serve.js';

export type { DocsGenerateOptions, DocsGenerateResult, LineageQueryOptions, LineageQueryResult, ServeOptions };

export async function docsGenerate(o: DocsGenerateOptions): Promise<DocsGenerateResult> {
  return (await import('../docs/generate.js')).docsGenerate(o);
}

export async function docsServe(o: ServeOptions) {
  return (await import('../docs/serve.js')).serveDocs(o);
}

export async function columnLineage(o: LineageQueryOptions): Promise<LineageQueryResult> {
  return (await import('../docs/lineage-query.js')).lineageQuery(o);
}
