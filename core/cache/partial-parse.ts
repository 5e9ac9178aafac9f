// Partial parsing: the parse result of every model, kept in target/partial_parse.cairn between
// invocations, so a command on a large project re-parses only the files that changed.
//
// Key: a project-wide hash of everything a model's parse can read (cairn's version, the rendered
// dbt_project.yml, the resolved profile target, --vars, --ds, --full-refresh, every macro and
// schema YAML file) plus, per model, its path and a hash of its content. The values of env_var()s
// read during the last parse are stored and compared with the environment. Any mismatch of the
// project-wide part drops every entry. A file that is not ours, from another version, or corrupt
// is ignored with a warning: never trusted.
//
// A model file whose size, inode, ctime and mtime are those recorded is trusted without being read,
// as git's index does (no tool can set ctime back); the stat is recorded only for files last
// modified more than 2 s before they were parsed, so an edit in the same mtime tick is still caught
// by the hash.
//
// The file itself (format, key, entry lines, appends without opening it): partial-parse-file.ts.
import { hash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkedFile } from '../artifacts/chunked-file.js';
import type { CompileContext } from '../compile/context.js';
import { CairnError } from '../errors.js';
import type { LoadedProject } from '../project/load-project.js';
import type { SourceFile } from '../project/discover.js';
import type { ProjectNode } from '../project/types.js';
import { lazyTemplate, type CompiledTemplate } from '../templating/render.js';
import { CAIRN_VERSION } from '../version.js';
import { CACHE_FILE, cacheFileIdentity, cacheLine, entryCheck, entryLine, envHash, FORMAT, projectKey, settled, type Header } from './partial-parse-file.js';

/** `[node id, byte offset within the blob's JSON, byte length]`. */
type BlobItem = [string, number, number];

interface Entry {
  path: string;
  hash: string;
  node: ProjectNode;
}

/** One entry line of the cache file, decoded only when used. */
class CachedLine {
  constructor(readonly hash: string, readonly stat: string, readonly check: string, private readonly buf: Buffer, private readonly start: number, private readonly jsonStart: number, private readonly end: number) {}

  /** Whether the JSON's bytes are those that were written (entryCheck). */
  get intact(): boolean {
    return entryCheck(this.buf.subarray(this.jsonStart, this.end)) === this.check;
  }

  get line(): string {
    return this.buf.toString('utf8', this.start, this.end);
  }

  get json(): string {
    return this.buf.toString('utf8', this.jsonStart, this.end);
  }

  /** Where the JSON lies in the file it was read from (the buffer is the whole file). */
  get location(): [offset: number, length: number] {
    return [this.jsonStart, this.end - this.jsonStart];
  }
}

export class PartialParseCache {
  private entries = new Map<string, CachedLine>();
  private fresh = new Map<string, string>();
  private used = new Set<string>();
  /** The header line of the file as read, when its entries were accepted. */
  private headerLine: string | undefined;
  /** The env var records of the file as read, when its entries were accepted. */
  private prevEnv: Record<string, string | null> = {};
  /** Entry lines in the file, superseded ones included. */
  private lineCount = 0;
  hits = 0;
  misses = 0;

  /** Set when an entry proved corrupt: the rest of the file is not trusted either. */
  private corrupt = false;

  private constructor(private file: string, private key: string, private warn: (w: CairnError) => void = () => {}) {}

  /** Opens the cache for this project; warnings say why an existing file was not used. */
  static open(loaded: LoadedProject, ctx: CompileContext, warn: (w: CairnError) => void, key = projectKey(loaded, ctx)): PartialParseCache {
    const file = join(loaded.projectDir, loaded.config.targetPath, CACHE_FILE);
    const cache = new PartialParseCache(file, key, warn);
    if (process.env.CAIRN_NO_PARTIAL_PARSE === '1' || !existsSync(file)) return cache;
    const reject = (why: string) => {
      warn(ignoredCache(file, why));
      cache.entries.clear();
      return cache;
    };
    // Read as bytes and decoded line by line: one ~20 MB string (10,000 models), then split into
    // lines, cost ~0.3 s on this class of machine; small per-line strings cost a fraction.
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch (e) {
      return reject(`cannot read it (${(e as Error).message})`);
    }
    const nl = buf.indexOf(10);
    const headerText = buf.toString('utf8', 0, nl < 0 ? buf.length : nl);
    let header: Header;
    try {
      header = JSON.parse(headerText) as Header;
    } catch {
      return reject('it is not a cairn cache (corrupt header)');
    }
    if (typeof header?.format === 'string' && header.format.startsWith('cairn-partial-parse/') && header.format !== FORMAT) return cache; // an older cairn's: rebuilt
    if (!header || header.format !== FORMAT) return reject('it is not a cairn partial-parse cache');
    if (header.cairnVersion !== CAIRN_VERSION) return cache; // another version: silently rebuilt
    if (header.key !== cache.key) return cache; // project, profile, vars or macros changed
    for (const [name, v] of Object.entries(header.env ?? {})) if (envHash(process.env[name]) !== v) return cache;
    cache.prevEnv = header.env ?? {};
    let lineNo = 1;
    for (let start = nl + 1; nl >= 0 && start < buf.length; ) {
      lineNo++;
      let end = buf.indexOf(10, start);
      if (end < 0) end = buf.length;
      if (end > start) {
        // "<path>\t<hash>\t<stat or empty>\t<check>\t<node json>": read without decoding the node.
        const a = buf.indexOf(9, start);
        const b = a < 0 || a >= end ? -1 : buf.indexOf(9, a + 1);
        const c = b < 0 || b >= end ? -1 : buf.indexOf(9, b + 1);
        const d = c < 0 || c >= end ? -1 : buf.indexOf(9, c + 1);
        const h = d < 0 || d >= end ? '' : buf.toString('latin1', a + 1, b);
        const check = h ? buf.toString('latin1', c + 1, d) : '';
        if (!/^[0-9a-f]{64}$/.test(h) || !/^[0-9a-f]{8}$/.test(check)) return reject(`line ${lineNo} is corrupt`);
        cache.entries.set(buf.toString('utf8', start, a), new CachedLine(h, buf.toString('latin1', b + 1, c), check, buf, start, d + 1, end));
        cache.lineCount++;
      }
      start = end + 1;
    }
    if (buf[buf.length - 1] === 10) cache.headerLine = headerText; // appending needs a complete last line
    return cache;
  }

  /**
   * The cached node for `f` if its content is unchanged, with a template compiled on first use. A
   * file whose size and mtime are those recorded is not even read (the node holds its text); any
   * other is read and compared by hash.
   */
  lookup(f: SourceFile): { node: ProjectNode; template: CompiledTemplate } | undefined {
    const e = this.corrupt ? undefined : this.entries.get(f.path);
    if (!e) {
      this.misses++;
      return undefined;
    }
    const stat = f.statKey?.();
    const trusted = e.stat !== '' && stat === e.stat;
    if (!trusted && e.hash !== hash('sha256', f.content)) {
      this.misses++;
      return undefined;
    }
    if (!e.intact) {
      this.distrust(`the entry for ${f.path} is corrupt`);
      this.misses++;
      return undefined;
    }
    let entry: Entry;
    try {
      entry = JSON.parse(e.json) as Entry;
    } catch {
      this.misses++;
      return undefined;
    }
    if (entry?.path !== f.path || !isCachedNode(entry.node)) {
      this.distrust(`the entry for ${f.path} is corrupt`);
      this.misses++;
      return undefined;
    }
    if (!trusted && entry.node.rawCode !== f.content) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.used.add(f.path);
    // Same text, new mtime (touched, checked out again): record the new stat so next time it is trusted.
    if (!trusted && stat && settled(stat)) this.fresh.set(f.path, `${f.path}\t${e.hash}\t${stat}\t${e.check}\t${e.json}`);
    return { node: entry.node, template: lazyTemplate(f.path, entry.node.rawCode) };
  }

  /**
   * A value the whole project shares (e.g. every generic test node), cached under `name` while its
   * `key` (a sha256 of all it depends on) is unchanged.
   */
  lookupBlob(name: string, key: string): unknown {
    const path = `:${name}`;
    const e = this.corrupt ? undefined : this.entries.get(path);
    if (!e || e.hash !== key) return undefined;
    const items = this.entries.get(`${path}#items`);
    if (!e.intact || (items?.hash === key && !items.intact)) {
      this.distrust(`its ${name} entry is corrupt`);
      return undefined;
    }
    try {
      const value = JSON.parse(e.json) as unknown;
      if (Array.isArray(value) && !value.every(isCachedNode)) {
        this.distrust(`its ${name} entry is corrupt`);
        return undefined;
      }
      this.used.add(path);
      if (items?.hash === key) {
        this.items.set(name, JSON.parse(items.json) as BlobItem[]);
        this.used.add(`${path}#items`);
      }
      return value;
    } catch {
      return undefined;
    }
  }

  /**
   * Records a blob (serialized now, so later mutation does not leak into the cache). For an array of
   * nodes, where each node's JSON lies in it is recorded too (see locatedItems).
   */
  storeBlob(name: string, key: string, value: unknown): void {
    const path = `:${name}`;
    if (!Array.isArray(value)) {
      this.fresh.set(path, cacheLine(path, key, '', JSON.stringify(value)));
      return;
    }
    // The same text as JSON.stringify(value), item by item.
    const parts = value.map((v) => JSON.stringify(v));
    const items: BlobItem[] = [];
    let at = 1;
    value.forEach((v, i) => {
      const length = Buffer.byteLength(parts[i]!);
      if (v && typeof (v as ProjectNode).uniqueId === 'string') items.push([(v as ProjectNode).uniqueId, at, length]);
      at += length + 1;
    });
    this.fresh.set(path, cacheLine(path, key, '', `[${parts.join(',')}]`));
    this.fresh.set(`${path}#items`, cacheLine(`${path}#items`, key, '', JSON.stringify(items)));
    this.items.set(name, items);
  }

  /**
   * An entry that decodes but is not what was stored (edited by hand, another program's file) makes
   * the whole file suspect: its other entries are not used either, and the file is rewritten.
   */
  private distrust(why: string): void {
    if (this.corrupt) return;
    this.corrupt = true;
    this.warn(ignoredCache(this.file, why));
  }

  /** Node id → byte range of its JSON within an array blob's JSON. */
  private items = new Map<string, BlobItem[]>();

  /** Where each node of an array blob lies in the file as saved, by id. */
  locatedItems(name: string): Map<string, { offset: number; length: number }> | undefined {
    const blob = this.located(`:${name}`);
    const items = this.items.get(name);
    if (!blob || !items) return undefined;
    return new Map(items.map(([id, rel, length]) => [id, { offset: blob.offset + rel, length }]));
  }

  /** The project-wide part of the key (see projectKey). */
  get projectKey(): string {
    return this.key;
  }

  /** Records a freshly parsed node (call before later passes mutate it). */
  store(f: SourceFile, node: ProjectNode): void {
    this.fresh.set(f.path, entryLine(f, node));
  }

  /**
   * The env vars every cached or fresh entry read, as hashes: those read by entries served from the
   * cache were not read again this time, so their record is kept (it matched the environment, or the
   * cache would have been dropped).
   */
  envRecord(envRead: ReadonlyMap<string, string | undefined>): Record<string, string | null> {
    const env: Record<string, string | null> = { ...this.prevEnv };
    for (const [k, v] of envRead) env[k] = envHash(v);
    return env;
  }

  /**
   * Writes the cache when something changed. Afterwards `located` tells where each entry's JSON lies
   * in the file (the parse snapshot points there instead of writing the models again).
   */
  save(envRead: ReadonlyMap<string, string | undefined>): void {
    if (process.env.CAIRN_NO_PARTIAL_PARSE === '1') return;
    // Entries whose file is gone (a changed file's entry is replaced by its fresh line).
    const stale = this.corrupt || [...this.entries.keys()].some((k) => !this.used.has(k) && !this.fresh.has(k));
    const kept = () => {
      for (const p of this.used) if (!this.fresh.has(p)) this.locations.set(p, this.entries.get(p)!.location);
    };
    // Lines a later line for the same path replaced (appended by this or an earlier invocation).
    const superseded = this.lineCount - this.entries.size + [...this.fresh.keys()].filter((k) => this.entries.has(k)).length;
    const compact = superseded > Math.max(50, this.entries.size / 10);
    if (this.fresh.size === 0 && !stale && this.entries.size > 0 && !compact) {
      kept();
      return this.settle();
    }
    const env = this.envRecord(envRead);
    const header: Header = { format: FORMAT, cairnVersion: CAIRN_VERSION, key: this.key, env };
    const headerLine = JSON.stringify(header);
    if (!stale && this.entries.size > 0 && headerLine === this.headerLine && !compact) {
      try {
        let pos = statSync(this.file).size;
        const text = [...this.fresh.values()].join('\n') + '\n';
        appendFileSync(this.file, text);
        kept();
        for (const [p, line] of this.fresh) pos = this.locate(p, line, pos);
        return this.settle();
      } catch {
        // fall through to a whole rewrite
      }
    }
    let out: ChunkedFile | undefined;
    try {
      this.locations.clear();
      out = new ChunkedFile(this.file);
      out.write(headerLine + '\n');
      let pos = Buffer.byteLength(headerLine) + 1;
      // Each line's byte length is what writing it returns: no second UTF-8 pass over ~20 MB.
      const put = (p: string, line: string) => {
        const bytes = out!.write(line);
        out!.write('\n');
        pos = this.locate(p, line, pos, bytes);
      };
      for (const p of this.used) if (!this.fresh.has(p)) put(p, this.entries.get(p)!.line);
      for (const [p, line] of this.fresh) put(p, line);
      out.commit();
      this.settle();
    } catch {
      // A read-only target folder only costs the next invocation a full parse.
      out?.discard();
      this.locations.clear();
    }
  }

  private locations = new Map<string, [offset: number, length: number]>();
  private fileId: string | undefined;

  /** Records where `line`'s JSON lies when the line starts at byte `pos`; returns where the next starts. */
  private locate(path: string, line: string, pos: number, total = Buffer.byteLength(line)): number {
    // `path\thash\tstat\tcheck\t`: only the path can hold non-ASCII characters.
    const jsonAt = nthIndexOf(line, '\t', 4) + 1;
    const prefix = Buffer.byteLength(path) + jsonAt - path.length;
    this.locations.set(path, [pos + prefix, total - prefix]);
    return pos + total + 1;
  }

  private settle(): void {
    this.fileId = cacheFileIdentity(this.file);
  }

  /**
   * Where the JSON (`{"path":..,"node":..}`) of `path`'s entry lies in the file as saved, and which
   * file that is (its inode; appends keep earlier entries where they are).
   */
  located(path: string): { offset: number; length: number } | undefined {
    const l = this.fileId ? this.locations.get(path) : undefined;
    return l && { offset: l[0], length: l[1] };
  }

  /** The file as saved: its path and identity (cacheFileIdentity), for pointing into it. */
  get savedFile(): { path: string; identity: string } | undefined {
    return this.fileId ? { path: this.file, identity: this.fileId } : undefined;
  }
}

function ignoredCache(file: string, why: string): CairnError {
  return new CairnError('PROJECT_INVALID', `ignoring the partial-parse cache ${file}: ${why}; parsing every file`, { file });
}

/** Whether a decoded cache value has the fields every node has (a served node is used unchecked). */
function isCachedNode(v: unknown): v is ProjectNode {
  const n = v as ProjectNode | null;
  return typeof n === 'object' && n !== null && typeof n.uniqueId === 'string' && typeof n.name === 'string' && typeof n.resourceType === 'string'
    && typeof n.rawCode === 'string' && typeof n.checksum === 'string' && typeof n.originalFilePath === 'string' && typeof n.path === 'string'
    && Array.isArray(n.fqn) && Array.isArray(n.tags) && Array.isArray(n.refs) && Array.isArray(n.sources)
    && isObject(n.config) && isObject(n.columns) && isObject(n.meta) && isObject(n.dependsOn) && Array.isArray(n.dependsOn.nodes) && Array.isArray(n.dependsOn.macros);
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

function nthIndexOf(s: string, ch: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) at = s.indexOf(ch, at + 1);
  return at;
}
