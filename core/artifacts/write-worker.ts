// Worker side of FileWriter: writes batches of files synchronously, off the main thread. A batch
// is written by whichever side claims it first in the shared `claims` array (the main thread takes
// batches from the end once it has nothing else to do).
import { parentPort, workerData } from 'node:worker_threads';
import { BatchWriter, type FileBatch } from './batch-write.js';

const { claims: buf, newUnder } = workerData as { claims: SharedArrayBuffer; newUnder?: string };
const claims = new Int32Array(buf);
const writer = new BatchWriter(newUnder);
let error: string | undefined;

parentPort!.on('message', (msg: { index?: number; files?: FileBatch; end?: boolean }) => {
  if (msg.files && !error) {
    const i = msg.index!;
    if (i >= claims.length || Atomics.compareExchange(claims, i, 0, 1) === 0) {
      try {
        writer.write(msg.files);
      } catch (e) {
        error = (e as Error).message;
      }
    }
  }
  if (msg.end) parentPort!.postMessage({ done: true, error });
});
