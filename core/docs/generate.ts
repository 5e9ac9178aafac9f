// `cairn docs generate`: compile everything, read the catalog from the engine, compute column
// lineage, and write manifest.json, catalog.json and the site (index.html + assets) to target/.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compile } from '../api/compile.js';
import type { CommonOptions } from '../api/options.js';
import { targetDir, writeFileAtomic } from '../artifacts/paths.js';
import { loadSqlParser, type ModelLineage } from '../lineage/index.js';
import { packagePath } from '../util/package-root.js';
import { buildCatalog, catalogColumns, catalogRelations, readCatalogTables, type Catalog } from './catalog.js';
import { computeProjectLineage } from './column-lineage.js';
import { buildSiteData, scriptSafeJson, type SiteData } from './site-data.js';

export interface DocsGenerateOptions extends CommonOptions {
  /** Do not connect to the engine: catalog.json has no relations. */
  emptyCatalog?: boolean;
  /** Also write static_index.html: the whole site in one file. */
  static?: boolean;
}

export interface DocsGenerateResult {
  targetDir: string;
  files: string[];
  nodeCount: number;
  catalogCount: number;
  /** Models whose SQL could not be analysed for column lineage, with the reason. */
  unresolvedModels: Array<{ id: string; reason: string }>;
  timings: Record<string, number>;
}

/** templates/docs, whether this runs from core/docs (tests), dist/core/docs or the CLI bundle. */
export const docsTemplatesDir = packagePath('templates', 'docs');
const ASSETS = ['app.js', 'graph.js', 'selector.js', 'markdown.js', 'sql-highlight.js', 'wrap-ranks.js', 'sidebar.js', 'node-page.js', 'style.css'];
/** Browser builds shipped by npm packages: file in the site → [package, path inside it]. */
const VENDORED: Record<string, [string, string]> = { 'dagre.min.js': ['@dagrejs/dagre', 'dist/dagre.min.js'], 'markdown-it.min.js': ['markdown-it', 'dist/markdown-it.min.js'] };

function browserBuild(pkgName: string, file: string): string {
  const pkg = createRequire(packagePath('package.json')).resolve(`${pkgName}/package.json`);
  return readFileSync(join(dirname(pkg), file), 'utf8');
}

export async function docsGenerate(o: DocsGenerateOptions): Promise<DocsGenerateResult> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
  };
  const { project: p, compiled } = await compile({ ...o, connect: !o.emptyCatalog });
  lap('compile');
  let catalog: Catalog;
  if (o.emptyCatalog) catalog = buildCatalog(p, null);
  else {
    const adapter = o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir });
    try {
      await adapter.open();
      catalog = buildCatalog(p, await readCatalogTables(adapter, catalogRelations(p).map((r) => r.relation)));
    } finally {
      await adapter.close();
    }
  }
  lap('catalog');
  await loadSqlParser();
  const lineage = computeProjectLineage(p, compiled, catalogColumns(catalog));
  lap('lineage');
  const data = buildSiteData(p, compiled, catalog, lineage);
  lap('layout');
  const tdir = targetDir(p.ctx.projectDir, p.ctx.project.targetPath);
  const files = writeSite(tdir, catalog, data, o.static ?? false);
  lap('write');
  return {
    targetDir: tdir,
    files: ['manifest.json', ...files],
    nodeCount: data.nodes.length,
    catalogCount: Object.keys(catalog.nodes).length + Object.keys(catalog.sources).length,
    unresolvedModels: unresolved(lineage),
    timings,
  };
}

function unresolved(lineage: ReadonlyMap<string, ModelLineage>): DocsGenerateResult['unresolvedModels'] {
  return [...lineage].filter(([, l]) => l.unresolved).map(([id, l]) => ({ id, reason: l.unresolved! }));
}

function writeSite(tdir: string, catalog: Catalog, data: SiteData, staticToo: boolean): string[] {
  const written = ['catalog.json', 'index.html', ...[...ASSETS, ...Object.keys(VENDORED)].map((a) => `cairn-docs/${a}`), 'cairn-docs/data.js'];
  writeFileAtomic(join(tdir, 'catalog.json'), JSON.stringify(catalog, null, 2));
  const assets = new Map(ASSETS.map((a) => [a, readFileSync(join(docsTemplatesDir, a), 'utf8')]));
  for (const [name, [pkg, file]] of Object.entries(VENDORED)) assets.set(name, browserBuild(pkg, file));
  for (const [name, text] of assets) writeFileAtomic(join(tdir, 'cairn-docs', name), text);
  // A script file rather than fetch(): the site then also works when opened from disk (file://).
  const dataJs = `window.CAIRN_DOCS = ${scriptSafeJson(data)};\n`;
  writeFileAtomic(join(tdir, 'cairn-docs', 'data.js'), dataJs);
  const html = readFileSync(join(docsTemplatesDir, 'index.html'), 'utf8');
  writeFileAtomic(join(tdir, 'index.html'), html.replace(/__PROJECT__/g, escapeHtml(data.project.name)));
  if (staticToo) {
    writeFileAtomic(join(tdir, 'static_index.html'), inlineAssets(html, assets, dataJs).replace(/__PROJECT__/g, escapeHtml(data.project.name)));
    written.push('static_index.html');
  }
  return written;
}

/** One self-contained page: every <script src> / stylesheet link of index.html inlined. */
function inlineAssets(html: string, assets: ReadonlyMap<string, string>, dataJs: string): string {
  const safeScript = (s: string) => s.replace(/<\/script/gi, '<\\/script');
  return html
    .replace(/<link rel="stylesheet" href="cairn-docs\/([\w.-]+)">/g, (_m, f: string) => `<style>\n${assets.get(f) ?? ''}\n</style>`)
    .replace(/<script src="cairn-docs\/([\w.-]+)"><\/script>/g, (_m, f: string) => {
      const text = f === 'data.js' ? dataJs : (assets.get(f) ?? '');
      return `<script>\n${safeScript(text)}\n</script>`;
    });
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
