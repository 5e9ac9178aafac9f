// Where a run's events go: stdout (dbt-style lines or JSON), with a live progress line when stdout is
// a terminal (never in CI), and always a plain text copy in <log-path>/cairn.log.
import { join } from 'node:path';
import type { RunEvent } from '../core/execute/events.js';
import { loadProjectConfig } from '../core/project/project-config.js';
import { openRotatingLog } from '../core/util/rotating-log.js';
import { createReporter, logLevelOf } from './reporter.js';

function logFile(projectDir: string): string | undefined {
  try {
    return join(projectDir, loadProjectConfig(projectDir, new Map()).logPath, 'cairn.log');
  } catch {
    return undefined; // no project: the command reports that itself
  }
}

export function runOutput(opts: { projectDir?: string; logFormat?: string; logLevel?: string; quiet?: boolean }): (e: RunEvent) => void {
  const format = opts.logFormat ?? 'text';
  const path = logFile(opts.projectDir ?? process.cwd());
  const file = path ? openRotatingLog(path) : undefined;
  const toFile = file ? createReporter('text', (l) => file.write(`${new Date().toISOString().slice(0, 10)} ${l}`)) : () => undefined;
  const level = logLevelOf(opts);
  const live = level === 'info' && format !== 'json' && process.stdout.isTTY === true && !process.env.CI && !process.env.NO_PROGRESS;
  let total = 0, started = 0, ended = 0, t0 = Date.now(), shown = false;
  let timer: NodeJS.Timeout | undefined;
  const clear = () => { if (shown) process.stdout.write('\r\x1b[2K'); shown = false; };
  const draw = () => {
    if (!live || total === 0 || ended >= total) return;
    const running = started - ended;
    process.stdout.write(`\r\x1b[2K  [${ended}/${total} done, ${running} running, ${total - started} queued] ${((Date.now() - t0) / 1000).toFixed(0)}s`);
    shown = true;
  };
  const toStdout = createReporter(format, (l) => { clear(); process.stdout.write(l + '\n'); draw(); }, level);
  return (e: RunEvent) => {
    if (e.type === 'run_start') {
      total = e.total; started = 0; ended = 0; t0 = Date.now();
      if (live && !timer) { timer = setInterval(() => { clear(); draw(); }, 1000); timer.unref(); }
    } else if (e.type === 'node_start') started++;
    else if (e.type === 'node_end') { ended++; if (e.result.status === 'skipped') started++; }
    else if (e.type === 'run_end') { clearInterval(timer); timer = undefined; total = 0; clear(); }
    toStdout(e);
    toFile(e);
  };
}
