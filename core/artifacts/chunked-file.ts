// A large text file written in 64 KB chunks to a temporary file and renamed into place: a reader
// never sees half a file, and the writer never holds the whole text as one string or buffer.
// Text is encoded straight into one reused buffer: joining the pieces into a chunk string and
// converting that to bytes allocated twice the file's size (~60 MB on a cold 10k compile's
// manifest and cache), and fresh memory costs page faults here.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';

const CHUNK = 1 << 16;

export class ChunkedFile {
  private readonly buf: Buffer;
  private used = 0;
  private readonly chunk: number;
  private fd: number | undefined;
  private readonly tmp: string;
  /** CRC-32 of the bytes written so far, when asked for (`checked`). */
  private crc: number | undefined;

  /** `checked`: keep a CRC-32 of what is written (checkSoFar). */
  constructor(private readonly path: string, { chunk = CHUNK, checked = false }: { chunk?: number; checked?: boolean } = {}) {
    this.chunk = chunk;
    if (checked) this.crc = 0;
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = `${path}.${process.pid}.tmp`;
    this.fd = openSync(this.tmp, 'w');
    this.buf = Buffer.allocUnsafe(2 * chunk);
  }

  /** Appends `text`; returns its length in bytes. */
  write(text: string): number {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8: a text that may not fit goes after a flush,
    // or on its own when it is larger than the buffer.
    if (3 * text.length > this.buf.length - this.used) {
      this.flush();
      if (3 * text.length > this.buf.length) {
        if (this.crc !== undefined) this.crc = crc32(text, this.crc);
        return writeSync(this.fd!, text);
      }
    }
    const n = this.buf.write(text, this.used);
    this.used += n;
    if (this.used >= this.chunk) this.flush();
    return n;
  }

  private flush(): void {
    if (this.crc !== undefined && this.used) this.crc = crc32(this.buf.subarray(0, this.used), this.crc);
    for (let at = 0; at < this.used; ) at += writeSync(this.fd!, this.buf, at, this.used - at);
    this.used = 0;
  }

  /** With `checked`: the CRC-32 of everything written so far, as 8 hex digits (entryCheck's form). */
  checkSoFar(): string {
    this.flush();
    return (this.crc ?? 0).toString(16).padStart(8, '0');
  }

  /** Flushes, closes and renames the file into place. */
  commit(): void {
    this.flush();
    closeSync(this.fd!);
    this.fd = undefined;
    renameSync(this.tmp, this.path);
  }

  /** After an error: closes and removes the temporary file (no-op after commit). */
  discard(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tmp, { force: true });
  }
}
