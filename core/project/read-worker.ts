// Worker side of ContentPrefetch (content-prefetch.ts): reads the model files of a cold parse in
// batches, ahead of the main thread, and posts each batch's texts and stat keys. A batch is read by
// whichever side claims it first in the shared `claims` array; a file it cannot read comes back as
// null and the main thread reads it again, so the error it raises is the one it always raised.
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { workerData, type MessagePort } from 'node:worker_threads';
import { BATCH, type ReadBatch } from './content-batch.js';
import { statKeyOf } from './stat-key.js';

const { dir, paths, claims: claimBuf, posted: postedBuf, port } = workerData as {
  dir: string;
  paths: string[];
  claims: SharedArrayBuffer;
  posted: SharedArrayBuffer;
  port: MessagePort;
};
const claims = new Int32Array(claimBuf);
const posted = new Int32Array(postedBuf);
let scratch = Buffer.allocUnsafe(1 << 16);

function read(abs: string): [string, string] | null {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const st = fstatSync(fd);
    if (st.size > scratch.length) scratch = Buffer.allocUnsafe(st.size);
    let n = 0;
    for (let r; n < st.size && (r = readSync(fd, scratch, n, st.size - n, n)) > 0; ) n += r;
    const text = scratch.toString('utf8', 0, n);
    // Not UTF-8: the main thread reads it again and raises the located error (util/utf8.ts).
    if (text.includes('\uFFFD') && !isUtf8(scratch.subarray(0, n))) return null;
    return [text, statKeyOf(st)];
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

for (let b = 0; b < claims.length; b++) {
  if (Atomics.compareExchange(claims, b, 0, 1) !== 0) continue; // the main thread took it
  const files: ReadBatch['files'] = [];
  for (let i = b * BATCH; i < Math.min(paths.length, (b + 1) * BATCH); i++) files.push(read(`${dir}/${paths[i]}`));
  port.postMessage({ batch: b, files } satisfies ReadBatch);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
}
port.close();
