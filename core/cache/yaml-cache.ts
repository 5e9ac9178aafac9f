// Parsed schema YAML kept between invocations (target/partial_parse_yaml.cairn): a YAML file whose
// text is unchanged is read back as JSON instead of being parsed again. YAML parsing was ~0.2-0.4 s
// of every command on a 10,000-model project; JSON.parse of the same values is ~10x faster.
//
// Entries (`path\thash\tcheck\tjson`) are keyed by path and the sha256 of the file's text, so they
// stay valid whatever else changes; the check is the CRC-32 of the JSON (partial-parse-file.ts
// entryCheck). Values JSON cannot hold exactly (.inf, .nan) are not cached. A file that is not ours
// or is corrupt is ignored with a warning and rebuilt.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkedFile } from '../artifacts/chunked-file.js';
import { checksum } from '../compile/parse-models.js';
import { CairnError } from '../errors.js';
import { CAIRN_VERSION } from '../version.js';
import { readText } from '../util/read-text.js';
import { entryCheck } from './partial-parse-file.js';

export const YAML_CACHE_FILE = 'partial_parse_yaml.cairn';
// 2: merge keys (`<<: *anchor`) are resolved; 3: checks.
const FORMAT = 'cairn-yaml-cache/3';

interface Entry {
  hash: string;
  check: string;
  json: string;
}

export class YamlValueCache {
  private loaded?: Map<string, Entry>;
  private next = new Map<string, string>();
  private changed = false;
  private hashes = new Map<string, [text: string, hash: string]>();

  private constructor(private readonly file: string | undefined, private readonly warn: (w: CairnError) => void = () => undefined) {}

  /** No cache (CAIRN_NO_PARTIAL_PARSE=1): every file is parsed. */
  static disabled(): YamlValueCache {
    return new YamlValueCache(undefined);
  }

  /** The cache in `targetDir`, read when first asked (an invocation served by the parse snapshot may never ask). */
  static open(targetDir: string, warn: (w: CairnError) => void): YamlValueCache {
    if (process.env.CAIRN_NO_PARTIAL_PARSE === '1') return YamlValueCache.disabled();
    return new YamlValueCache(join(targetDir, YAML_CACHE_FILE), warn);
  }

  private get entries(): Map<string, Entry> {
    return (this.loaded ??= this.load());
  }

  private reject(entries: Map<string, Entry>, why: string): Map<string, Entry> {
    this.warn(new CairnError('PROJECT_INVALID', `ignoring the YAML cache ${this.file}: ${why}; parsing every YAML file`, { file: this.file }));
    entries.clear();
    this.changed = true;
    return entries;
  }

  private load(): Map<string, Entry> {
    const entries = new Map<string, Entry>();
    const file = this.file!;
    if (!existsSync(file)) return entries;
    const reject = (why: string) => this.reject(entries, why);
    let lines: string[];
    try {
      lines = readText(file).split('\n');
    } catch (e) {
      return reject(`cannot read it (${(e as Error).message})`);
    }
    let header: { format?: string; cairnVersion?: string } | undefined;
    try {
      header = JSON.parse(lines[0]!);
    } catch {
      return reject('it is not a cairn cache (corrupt header)');
    }
    if (typeof header?.format === 'string' && header.format.startsWith('cairn-yaml-cache/') && header.format !== FORMAT) {
      this.changed = true; // an older cairn's: rebuilt
      return entries;
    }
    if (header?.format !== FORMAT) return reject('it is not a cairn YAML cache');
    if (header.cairnVersion !== CAIRN_VERSION) {
      this.changed = true;
      return entries;
    }
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line) continue;
      const a = line.indexOf('\t');
      const b = line.indexOf('\t', a + 1);
      const c = b < 0 ? -1 : line.indexOf('\t', b + 1);
      if (a < 0 || c < 0 || !/^[0-9a-f]{64}$/.test(line.slice(a + 1, b)) || !/^[0-9a-f]{8}$/.test(line.slice(b + 1, c))) return reject(`line ${i + 1} is corrupt`);
      entries.set(line.slice(0, a), { hash: line.slice(a + 1, b), check: line.slice(b + 1, c), json: line.slice(c + 1) });
    }
    return entries;
  }

  /** Whether `get` would find the value parsed from `text` (without decoding it). */
  has(path: string, text: string): boolean {
    return !!this.file && this.entries.get(path)?.hash === this.hashOf(path, text);
  }

  /** The value parsed from `text` last time, or undefined. */
  get(path: string, text: string): unknown {
    if (!this.file) return undefined;
    const hash = this.hashOf(path, text);
    const e = this.entries.get(path);
    if (!e || e.hash !== hash) return undefined;
    if (entryCheck(e.json) !== e.check) {
      // Changed in place, and still decoding maybe: none of the file is trusted.
      this.reject(this.entries, `the entry for ${path} is corrupt`);
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(e.json);
    } catch {
      return undefined;
    }
    this.next.set(path, `${path}\t${hash}\t${e.check}\t${e.json}`);
    return value;
  }

  /** Records the value parsed from `text`. */
  put(path: string, text: string, value: unknown): void {
    if (!this.file) return;
    this.changed = true;
    let exact = true;
    const json = JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) exact = false;
      return v;
    });
    if (exact && json !== undefined) this.next.set(path, `${path}\t${this.hashOf(path, text)}\t${entryCheck(json)}\t${json}`);
  }

  /** A miss is looked up, then put: hash its text once. */
  private hashOf(path: string, text: string): string {
    const seen = this.hashes.get(path);
    if (seen && seen[0] === text) return seen[1];
    const h = checksum(text);
    this.hashes.set(path, [text, h]);
    return h;
  }

  /** Writes the cache when a file was parsed or one disappeared. */
  save(): void {
    if (!this.file) return;
    if (!this.changed && this.next.size === this.entries.size) return;
    let out: ChunkedFile | undefined;
    try {
      out = new ChunkedFile(this.file);
      out.write(JSON.stringify({ format: FORMAT, cairnVersion: CAIRN_VERSION }) + '\n');
      for (const line of this.next.values()) out.write(line + '\n');
      out.commit();
    } catch {
      // A read-only target folder only costs the next invocation the YAML parse.
      out?.discard();
    }
  }
}
