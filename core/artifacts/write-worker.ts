// Worker side of FileWriter: writes batches of files synchronously, off the main thread.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';

const made = new Set<string>();
let error: string | undefined;

parentPort!.on('message', (msg: { files?: Array<[string, string]>; end?: boolean }) => {
  if (msg.files && !error) {
    try {
      for (const [path, content] of msg.files) {
        const dir = dirname(path);
        if (!made.has(dir)) {
          mkdirSync(dir, { recursive: true });
          made.add(dir);
        }
        // Unchanged files are left alone (see writeFileIfChanged in paths.ts).
        let same = false;
        try { same = readFileSync(path, 'utf8') === content; } catch { /* missing: write it */ }
        if (same) continue;
        const tmp = `${path}.${process.pid}.tmp`;
        writeFileSync(tmp, content);
        renameSync(tmp, path);
      }
    } catch (e) {
      error = (e as Error).message;
    }
  }
  if (msg.end) parentPort!.postMessage({ done: true, error });
});
