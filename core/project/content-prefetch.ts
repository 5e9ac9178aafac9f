// The text of every model file of a cold parse, read by a worker thread ahead of the main thread.
// A cold parse reads every model file before it can render one: on 10,000 models the opens, reads
// and closes were ~0.25 s of the main thread with the files in the page cache, and 0.7-1 s on this
// VM when they were not (it drops the page cache within minutes). The worker reads while the main
// thread loads macros and the schema and compiles the templates of the files it already has.
//
// Only an optimization: a text is taken from the worker only for a file it read whole; a batch the
// worker has not reached is read here (each batch is claimed once, in `claims`), and a worker that
// is late (2 s) or dead leaves every file still missing to the main thread. Files are given out
// once, so that the worker's copies are not kept twice.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { packagePath } from '../util/package-root.js';
import { BATCH, type ReadBatch } from './content-batch.js';

/** Below this many files a worker (~25 ms to start, on the other core) is not worth it. */
export const MIN_FILES = 500;
const LATE_MS = 2_000;

export class ContentPrefetch {
  private readonly index = new Map<string, number>();
  private readonly received = new Map<number, ReadBatch['files']>();
  private readonly claims: Int32Array;
  private readonly posted: Int32Array;
  private seen = 0;
  private off = false;
  /** How many texts were taken from the worker. */
  fromWorker = 0;

  private constructor(paths: readonly string[], private readonly port: MessagePort, claims: SharedArrayBuffer, posted: SharedArrayBuffer) {
    paths.forEach((p, i) => this.index.set(p, i));
    this.claims = new Int32Array(claims);
    this.posted = new Int32Array(posted);
  }

  /** Starts reading `paths` (relative to `projectDir`, in the order they will be asked for). */
  static start(projectDir: string, paths: readonly string[]): ContentPrefetch | undefined {
    if (paths.length < MIN_FILES || process.env.CAIRN_READ_PREFETCH === '0') return undefined;
    try {
      const { port1, port2 } = new MessageChannel();
      const claims = new SharedArrayBuffer(4 * Math.ceil(paths.length / BATCH));
      const posted = new SharedArrayBuffer(4);
      const w = new Worker(packagePath('dist/core/project/read-worker.js'), {
        workerData: { dir: projectDir, paths, claims, posted, port: port2 },
        transferList: [port2],
      });
      w.unref();
      w.on('error', () => undefined); // its files are read by the main thread
      port1.unref();
      return new ContentPrefetch(paths, port1, claims, posted);
    } catch {
      return undefined;
    }
  }

  /** The text and stat key of `path` if the worker read it; undefined means: read it yourself. */
  take(path: string): [string, string] | undefined {
    const i = this.index.get(path);
    if (i === undefined || this.off) return undefined;
    const b = Math.floor(i / BATCH);
    let files = this.received.get(b);
    if (!files) {
      // Not reached by the worker yet (0, claimed now) or claimed here before (2): read here.
      if (Atomics.compareExchange(this.claims, b, 0, 2) !== 1) return undefined;
      files = this.wait(b);
      if (!files) return undefined;
    }
    const got = files[i - b * BATCH];
    if (!got) return undefined;
    files[i - b * BATCH] = null;
    this.fromWorker++;
    return got;
  }

  /** How many batches the worker has read and posted so far. */
  batchesPosted(): number {
    return Atomics.load(this.posted, 0);
  }

  private wait(b: number): ReadBatch['files'] | undefined {
    for (;;) {
      for (let m; (m = receiveMessageOnPort(this.port)); ) {
        const msg = m.message as ReadBatch;
        this.received.set(msg.batch, msg.files);
        this.seen++;
      }
      const files = this.received.get(b);
      if (files) return files;
      if (Atomics.wait(this.posted, 0, this.seen, LATE_MS) === 'timed-out') {
        this.stop();
        return undefined;
      }
    }
  }

  private stop(): void {
    this.off = true;
    this.port.close();
  }
}
