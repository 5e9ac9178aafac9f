// Finds a project's files. Paths are returned relative to the project folder with forward slashes.
// One directory walk per resource root serves every extension asked of it (models/ is asked for
// .sql, .yml and .md): on 10,000 models a glob library spent ~250 ms where this walk takes ~25 ms.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ContentPrefetch } from './content-prefetch.js';
import { statKeyOf } from './stat-key.js';
import type { StatPrefetch } from './stat-prefetch.js';
import { checkUtf8 } from '../util/utf8.js';

/** What a FileFinder's files consult before touching the disk; `contents` may be set after the walk. */
interface Prefetched {
  stats?: StatPrefetch;
  contents?: ContentPrefetch;
}

export interface SourceFile {
  /** Relative to the project folder, e.g. `models/bronze/orders_raw.sql`. */
  path: string;
  /** Relative to its resource root, e.g. `bronze/orders_raw.sql`. */
  relPath: string;
  root: string;
  /** The file's text, read on first use: a cached model whose stat is unchanged is never read. */
  readonly content: string;
  /** `size:ino:ctimeMs:mtimeMs`, for the partial-parse cache (core/cache/partial-parse.ts). */
  statKey?(): string;
}

/**
 * A class rather than an object literal with getters and closures: 10,000 of those were ~8 MB of
 * dictionary-mode objects and closure contexts, for a walk that mostly only stats the files.
 */
class ProjectFile implements SourceFile {
  #content: string | undefined;
  #stat: string | undefined;

  constructor(private readonly projectDir: string, readonly path: string, readonly relPath: string, readonly root: string, private readonly prefetch: Prefetched) {}

  // Joined on use: most files of a large project are only stat'ed, and `join` normalizes.
  private get abs(): string {
    return `${this.projectDir}/${this.path}`;
  }

  get content(): string {
    if (this.#content === undefined) [this.#content, this.#stat] = this.prefetch.contents?.take(this.path) ?? readWithStat(this.abs, this.path);
    return this.#content;
  }

  statKey(): string {
    this.#stat ??= this.prefetch.stats?.get(this.path);
    if (this.#stat === undefined) {
      const st = statSync(this.abs, { throwIfNoEntry: false });
      this.#stat = st ? statKeyOf(st) : '';
    }
    return this.#stat;
  }
}

const scratch = Buffer.allocUnsafe(1 << 16);

export { statKeyOf };

/** The file's text and its stat key from the same open (readFileSync does the fstat anyway). */
function readWithStat(abs: string, display: string): [string, string] {
  const fd = openSync(abs, 'r');
  try {
    const st = fstatSync(fd);
    const buf = st.size <= scratch.length ? scratch : Buffer.allocUnsafe(st.size);
    let n = 0;
    for (let r; n < st.size && (r = readSync(fd, buf, n, st.size - n, n)) > 0; ) n += r;
    const text = buf.toString('utf8', 0, n);
    checkUtf8(text, buf.subarray(0, n), display);
    return [text, statKeyOf(st)];
  } finally {
    closeSync(fd);
  }
}

/** Relative paths of every file under `dir`, skipping dot files and dot folders, following symlinks. */
function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (abs: string, rel: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return; // a missing resource folder is an empty one
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) {
        try {
          isDir = statSync(join(abs, e.name)).isDirectory();
        } catch {
          continue; // dangling link
        }
        // A link cycle would recurse forever; real projects are nowhere near this deep.
        if (isDir && depth > 40) continue;
      }
      if (isDir) visit(join(abs, e.name), r, depth + 1);
      else out.push(r);
    }
  };
  visit(dir, '', 0);
  return out.sort();
}

/** Walks each root once per instance; a loader asks the same roots for several extensions. */
export class FileFinder {
  /** Per root: every file (sorted), and the files by extension (`.sql`, ...; '' for none). */
  private walks = new Map<string, { all: string[]; byExt: Map<string, string[]> }>();

  private readonly prefetch: Prefetched;

  /** `stats`: taken by a child process (stat-prefetch.ts), used before stat'ing a file here. */
  constructor(private projectDir: string, stats?: StatPrefetch) {
    this.prefetch = { stats };
  }

  /** The child process stat'ing this finder's files, if one was started. */
  get stats(): StatPrefetch | undefined {
    return this.prefetch.stats;
  }

  /** The worker reading this finder's files ahead, if one was started. */
  get contents(): ContentPrefetch | undefined {
    return this.prefetch.contents;
  }

  /** Has `files` (found by this finder, in the order they will be read) read ahead by a worker. */
  prefetchContents(files: readonly SourceFile[]): void {
    this.prefetch.contents ??= ContentPrefetch.start(this.projectDir, files.map((f) => f.path));
  }

  private walked(base: string): { all: string[]; byExt: Map<string, string[]> } {
    let w = this.walks.get(base);
    if (!w) {
      const all = walk(join(this.projectDir, base));
      const byExt = new Map<string, string[]>();
      for (const rel of all) {
        const dot = rel.lastIndexOf('.');
        const ext = dot > rel.lastIndexOf('/') ? rel.slice(dot) : '';
        const list = byExt.get(ext);
        if (list) list.push(rel);
        else byExt.set(ext, [rel]);
      }
      this.walks.set(base, (w = { all, byExt }));
    }
    return w;
  }

  /**
   * Every file under `roots` except the `ext` files under `under` (the model SQL, for the parse
   * snapshot's other inputs), without naming the 10,000 files it skips.
   */
  findExcept(roots: readonly string[], ext: string, under: readonly string[]): SourceFile[] {
    const bases = under.map((r) => r.replace(/\/+$/, ''));
    const out: SourceFile[] = [];
    for (const root of roots) {
      const base = root.replace(/\/+$/, '');
      const whole = bases.includes(base);
      for (const [x, rels] of this.walked(base).byExt) {
        if (x === ext && whole) continue;
        for (const rel of rels) {
          const path = `${base}/${rel}`;
          if (x === ext && bases.some((b) => path.startsWith(`${b}/`))) continue;
          out.push(new ProjectFile(this.projectDir, path, rel, root, this.prefetch));
        }
      }
    }
    return out;
  }

  /** Files under `roots` whose names end with one of `extensions` ('' for all). */
  find(roots: readonly string[], extensions: readonly string[]): SourceFile[] {
    const out: SourceFile[] = [];
    for (const root of roots) {
      const base = root.replace(/\/+$/, '');
      const w = this.walked(base);
      // Extensions are whole suffixes after the last dot (`.yml`); anything else is matched by suffix.
      const simple = extensions.every((x) => /^\.[^./]*$/.test(x));
      let rels: string[];
      if (extensions.includes('') || !simple) rels = w.all.filter((rel) => extensions.some((x) => rel.endsWith(x)));
      else if (extensions.length === 1) rels = w.byExt.get(extensions[0]!) ?? [];
      else rels = extensions.flatMap((x) => w.byExt.get(x) ?? []).sort();
      for (const rel of rels) {
        out.push(new ProjectFile(this.projectDir, `${base}/${rel}`, rel, root, this.prefetch));
      }
    }
    return out;
  }
}

/** Files under `roots` whose names end with one of `extensions` (e.g. `.sql`), sorted by path. */
export function findFiles(projectDir: string, roots: readonly string[], extensions: readonly string[]): SourceFile[] {
  return new FileFinder(projectDir).find(roots, extensions);
}
