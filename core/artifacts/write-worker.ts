// Worker side of FileWriter: writes batches of files synchronously, off the main thread.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';

const made = new Set<string>();
// Folders this worker created: their files cannot exist yet, so no read-compare (a failed open per
// file was ~14,000 wasted syscalls on a cold compile of 10,000 models).
const fresh = new Set<string>();
let error: string | undefined;

parentPort!.on('message', (msg: { files?: Array<[string, string]>; end?: boolean }) => {
  if (msg.files && !error) {
    try {
      for (const [path, content] of msg.files) {
        const dir = dirname(path);
        if (!made.has(dir)) {
          // mkdirSync returns the first folder it created; `dir` is new when anything was created.
          if (mkdirSync(dir, { recursive: true }) !== undefined) fresh.add(dir);
          made.add(dir);
        }
        // Unchanged files are left alone (see writeFileIfChanged in paths.ts).
        let same = false;
        if (!fresh.has(dir)) try { same = readFileSync(path, 'utf8') === content; } catch { /* missing: write it */ }
        if (same) continue;
        // Written in place, as dbt does: compiled SQL is read by people, and tmp + rename cost ~15%
        // more file-system time on 10,000 files. JSON artifacts stay atomic (paths.ts).
        writeFileSync(path, content);
      }
    } catch (e) {
      error = (e as Error).message;
    }
  }
  if (msg.end) parentPort!.postMessage({ done: true, error });
});
