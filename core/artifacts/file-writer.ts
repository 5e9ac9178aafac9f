// Writes many artifact files (target/compiled/**) without blocking rendering: batches go to a
// worker thread that writes them atomically (tmp + rename) while the main thread renders the next
// nodes. Small jobs write inline; a worker costs ~20 ms to start.
import { Worker } from 'node:worker_threads';
import { CairnError } from '../errors.js';
import { packagePath } from '../util/package-root.js';
import { writeFileIfChanged } from './paths.js';

const BATCH = 256;

export class FileWriter {
  private worker: Worker | undefined;
  private batch: Array<[string, string]> = [];

  constructor(expected: number) {
    if (expected >= 2 * BATCH) this.worker = new Worker(packagePath('dist/core/artifacts/write-worker.js')); // a file of its own, also when the CLI runs as one bundle
  }

  write(path: string, content: string): void {
    if (!this.worker) return writeFileIfChanged(path, content);
    this.batch.push([path, content]);
    if (this.batch.length >= BATCH) this.send();
  }

  private send(): void {
    if (this.batch.length) this.worker!.postMessage({ files: this.batch });
    this.batch = [];
  }

  /** Waits until every file is on disk; throws if any write failed. */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.send();
    const r = await new Promise<{ error?: string }>((res, rej) => {
      w.once('message', res);
      w.once('error', rej);
      w.postMessage({ end: true });
    });
    await w.terminate();
    if (r.error) throw new CairnError('PROJECT_INVALID', `cannot write compiled SQL: ${r.error}`, { hint: 'check that the target folder is writable' });
  }
}
