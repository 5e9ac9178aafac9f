// logs/cairn.log: a plain text log of the last runs. When it grows past `maxBytes` at the start of
// a run it is rotated (cairn.log → cairn.log.1 → ... → cairn.log.<keep>, the oldest dropped).
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { redact } from './redact.js';

export interface RotatingLog {
  path: string;
  write(line: string): void;
}

export function openRotatingLog(path: string, opts: { maxBytes?: number; keep?: number } = {}): RotatingLog {
  const maxBytes = opts.maxBytes ?? 1_000_000;
  const keep = opts.keep ?? 5;
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path) && statSync(path).size > maxBytes) {
    rmSync(`${path}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    renameSync(path, `${path}.1`);
  }
  let broken = false;
  return {
    path,
    write(line) {
      if (broken) return;
      try {
        // Appended line by line: a killed run still leaves its log up to the kill.
        appendFileSync(path, redact(line.replace(/\x1b\[[0-9;]*m/g, '')) + '\n');
      } catch {
        broken = true; // a read-only folder must not fail the run
      }
    },
  };
}
