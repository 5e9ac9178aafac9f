// Schema YAML files (`models:`, `sources:`, `seeds:`, ...) anywhere under the resource paths.
// This pass only reads and locates entries; attaching them to nodes happens in the parse pass.
import { lineOf, parseYaml, type YamlFile } from './yaml-file.js';
import type { SourceFile } from './discover.js';
import { YamlValueCache } from '../cache/yaml-cache.js';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { packagePath } from '../util/package-root.js';
import type { ColumnInfo } from './types.js';

export interface Patch {
  name: string;
  kind: 'models' | 'seeds' | 'snapshots' | 'analyses';
  file: string;
  line?: number;
  description: string;
  config: Record<string, unknown>;
  columns: Record<string, ColumnInfo>;
  tests: unknown[];
  meta: Record<string, unknown>;
  tags: string[];
  docs?: Record<string, unknown>;
  raw: Record<string, unknown>;
  index: number;
}

export interface SchemaFiles {
  files: YamlFile<Record<string, unknown>>[];
  patches: Patch[];
}

const asTags = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

export function parseColumns(raw: unknown): Record<string, ColumnInfo> {
  const out: Record<string, ColumnInfo> = {};
  if (!Array.isArray(raw)) return out;
  for (const c of raw) {
    if (!c || typeof c !== 'object' || typeof (c as { name?: unknown }).name !== 'string') continue;
    const col = c as Record<string, unknown>;
    out[col.name as string] = {
      name: col.name as string,
      description: typeof col.description === 'string' ? col.description : '',
      data_type: typeof col.data_type === 'string' ? col.data_type : undefined,
      meta: (col.meta as Record<string, unknown>) ?? {},
      tags: asTags(col.tags),
      tests: (col.data_tests ?? col.tests ?? []) as unknown[],
    };
  }
  return out;
}

/**
 * Schema YAML parsed in a worker thread, so the main thread can compile model templates meanwhile;
 * `get()` waits for it (synchronously: the parse pass is synchronous). Files in the YAML cache and
 * small jobs are parsed on the main thread.
 */
export class SchemaParse {
  private worker?: { port: MessagePort; done: Int32Array; misses: SourceFile[] };
  private result?: SchemaFiles;

  constructor(private readonly files: readonly SourceFile[], private readonly cache: YamlValueCache, minWorkerBytes = 256 * 1024) {
    // Cached values are decoded when the schema is first read (an invocation served by the parse
    // snapshot may never read it).
    const misses: SourceFile[] = [];
    let bytes = 0;
    for (const f of files) {
      if (cache.has(f.path, f.content)) continue;
      misses.push(f);
      bytes += f.content.length;
    }
    if (bytes < minWorkerBytes) return;
    const { port1, port2 } = new MessageChannel();
    const flag = new SharedArrayBuffer(4);
    const w = new Worker(packagePath('dist/core/project/yaml-worker.js'), {
      workerData: { files: misses.map((f) => ({ path: f.path, text: f.content })), port: port2, flag },
      transferList: [port2],
    });
    w.unref();
    w.on('error', () => undefined); // a failed worker leaves its files to the main thread
    this.worker = { port: port1, done: new Int32Array(flag), misses };
  }

  get(): SchemaFiles {
    if (this.result) return this.result;
    const parsed = new Map<string, unknown>();
    if (this.worker) {
      // Bounded: a worker that died never sets the flag, and its files are parsed here instead.
      Atomics.wait(this.worker.done, 0, 0, 60_000);
      const msg = receiveMessageOnPort(this.worker.port)?.message as Array<{ value: unknown } | null> | undefined;
      this.worker.port.close();
      this.worker.misses.forEach((f, i) => {
        const r = msg?.[i];
        if (!r) return;
        parsed.set(f.path, r.value);
        this.cache.put(f.path, f.content, r.value);
      });
    }
    return (this.result = readSchemaFiles(this.files, this.cache, parsed));
  }
}

export function readSchemaFiles(files: readonly SourceFile[], cache = YamlValueCache.disabled(), parsed?: ReadonlyMap<string, unknown>): SchemaFiles {
  const out: SchemaFiles = { files: [], patches: [] };
  for (const f of files) {
    // Values already parsed (by SchemaParse's worker, or from the cache) are used as they are.
    const hit = parsed?.has(f.path) ? parsed.get(f.path) : cache.get(f.path, f.content);
    const yf = parseYaml<Record<string, unknown>>(f.content, f.path, hit === undefined ? undefined : { value: hit });
    if (hit === undefined) cache.put(f.path, f.content, yf.value);
    if (!yf.value || typeof yf.value !== 'object') continue;
    out.files.push(yf);
    for (const kind of ['models', 'seeds', 'snapshots', 'analyses'] as const) {
      const list = yf.value[kind];
      if (!Array.isArray(list)) continue;
      list.forEach((entry, index) => {
        if (!entry || typeof entry !== 'object' || typeof (entry as { name?: unknown }).name !== 'string') return;
        const e = entry as Record<string, unknown>;
        const patch: Patch = {
          name: e.name as string,
          kind,
          file: f.path,
          line: undefined,
          description: typeof e.description === 'string' ? e.description : '',
          config: (e.config as Record<string, unknown>) ?? {},
          columns: parseColumns(e.columns),
          tests: (e.data_tests ?? e.tests ?? []) as unknown[],
          meta: (e.meta as Record<string, unknown>) ?? {},
          tags: asTags(e.tags),
          docs: e.docs as Record<string, unknown> | undefined,
          raw: e,
          index,
        };
        // Located lazily: finding a line builds the YAML document, needed only for a message.
        Object.defineProperty(patch, 'line', { get: () => lineOf(yf, [kind, index]), enumerable: true, configurable: true });
        out.patches.push(patch);
      });
    }
  }
  return out;
}
