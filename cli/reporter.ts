// Console output in dbt's style (`1 of 5 START sql table model main.orders ..... [RUN]`), or one JSON
// object per line with --log-format json. Colour only on a TTY.
import type { RunEvent } from '../core/execute/events.js';
import { redact } from '../core/util/redact.js';

const WIDTH = 80;
const tty = (process.stdout.isTTY || process.env.FORCE_COLOR === '1') && !process.env.NO_COLOR;
const paint = (code: number) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
export const green = paint(32);
export const red = paint(31);
export const yellow = paint(33);

const time = () => new Date().toISOString().slice(11, 19);

/** Colour codes take no room on the screen, so the dots are counted from what is visible. */
const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;

/** dbt's layout (dbt_common format_fancy_output_line): the text is dotted out to 80 columns and the
 * bracket follows, so START and result brackets share one column, coloured or not. */
function dots(left: string, right: string): string {
  const n = Math.max(3, WIDTH - visible(left) - 1);
  return `${left} ${'.'.repeat(n)} ${right}`;
}

/** --log-level / --quiet: `info` prints everything, `warn` warnings and failures, `error` failures only. */
export type LogLevel = 'info' | 'warn' | 'error' | 'none';

export function logLevelOf(f: { logLevel?: string; quiet?: boolean }): LogLevel {
  if (f.quiet) return 'error';
  return f.logLevel === 'warn' || f.logLevel === 'error' || f.logLevel === 'none' ? f.logLevel : 'info';
}

const RANK: Record<string, number> = { info: 0, warn: 1, error: 2 };
function eventLevel(e: RunEvent): 'info' | 'warn' | 'error' {
  if (e.type === 'warning') return 'warn';
  if (e.type === 'node_end') return e.result.status === 'error' || e.result.status === 'fail' ? 'error' : e.result.status === 'warn' ? 'warn' : 'info';
  if (e.type === 'run_end') return e.counts.error ? 'error' : e.counts.warn ? 'warn' : 'info';
  return 'info';
}

export function createReporter(format: string, out: (line: string) => void = (l) => process.stdout.write(l + '\n'), level: LogLevel = 'info') {
  if (level !== 'info') {
    const inner = createReporter(format, out);
    // The run's summary line comes with the failures it counts (run_end is at the level of its worst result).
    return (e: RunEvent) => { if (level !== 'none' && RANK[eventLevel(e)]! >= RANK[level]!) inner(e); };
  }
  if (format === 'json') {
    return (e: RunEvent) => out(redact(JSON.stringify({ ts: new Date().toISOString(), ...jsonEvent(e) })));
  }
  // What failed or warned, said again after the run as dbt's recap does.
  const recap: Array<{ kind: 'Failure' | 'Warning' | 'Error'; label: string; message: string; compiledPath?: string }> = [];
  return (e: RunEvent) => {
    switch (e.type) {
      case 'run_start':
        out(`${time()}  Running with cairn on target ${e.target} (ds ${e.ds}): ${e.total} node${e.total === 1 ? '' : 's'}`);
        break;
      case 'warning':
        out(`${time()}  ${yellow('[WARNING]')} ${redact(e.message)}`);
        break;
      case 'info':
        out(`${time()}  ${redact(e.message)}`);
        break;
      case 'node_start':
        out(`${time()}  ${dots(`${e.index} of ${e.total} START ${e.label}`, '[RUN]')}`);
        break;
      case 'node_retry':
        out(`${time()}  ${yellow('RETRY')} ${e.uniqueId} attempt ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)}s: ${redact(e.error.split('\n')[0]!)}`);
        break;
      case 'node_end': {
        const r = e.result;
        const secs = `in ${r.executionTime.toFixed(2)}s`;
        let tag: string;
        let verb: string;
        switch (r.status) {
          case 'success':
          case 'pass':
            if (r.reused) { verb = 'REUSED'; tag = green('[REUSED]'); break; }
            if (r.status === 'pass') { verb = 'PASS'; tag = green(`[PASS ${secs}]`); break; }
            verb = 'OK created'; tag = green(`[${r.adapterResponse.rows_affected !== undefined ? `OK ${r.adapterResponse.rows_affected}` : 'OK'} ${secs}]`); break;
          case 'warn': verb = `WARN${r.failures !== null ? ` ${r.failures}` : ''}`; tag = yellow(`[WARN ${r.failures ?? ''} ${secs}]`); break;
          case 'fail': verb = `FAIL${r.failures !== null ? ` ${r.failures}` : ''}`; tag = red(`[FAIL ${r.failures ?? ''} ${secs}]`); break;
          case 'skipped': verb = 'SKIP'; tag = yellow('[SKIP]'); break;
          default: verb = 'ERROR creating'; tag = red(`[ERROR ${secs}]`);
        }
        out(`${time()}  ${dots(`${e.index} of ${e.total} ${verb} ${e.label}${r.reused && r.message ? ` (${r.message.replace(/^reused: /, '')})` : ''}`, tag)}`);
        if (r.status === 'error' && r.message) {
          out(`${time()}    ${red('error')} in ${e.uniqueId}: ${redact(r.message).split('\n').join('\n            ')}`);
          if (e.compiledPath) out(`${time()}    compiled SQL at ${e.compiledPath}`);
        }
        if (r.status === 'skipped' && r.message) out(`${time()}    ${r.message}`);
        if ((r.status === 'fail' || r.status === 'warn') && r.message) {
          out(`${time()}    ${redact(r.message).split('\n').join('\n            ')}`);
          if (e.compiledPath) out(`${time()}    compiled SQL at ${e.compiledPath}`);
        }
        if (r.status === 'error' || r.status === 'fail' || r.status === 'warn') {
          recap.push({ kind: r.status === 'fail' ? 'Failure' : r.status === 'warn' ? 'Warning' : 'Error', label: e.label, message: redact(r.message ?? ''), compiledPath: e.compiledPath });
        }
        break;
      }
      case 'run_end': {
        const c = e.counts;
        out('');
        out(`${time()}  Finished running ${c.total} node${c.total === 1 ? '' : 's'} in ${e.elapsed.toFixed(2)}s.`);
        if (recap.length) {
          const errors = recap.filter((x) => x.kind !== 'Warning').length;
          const warnings = recap.length - errors;
          out('');
          out(`${time()}  ${(errors ? red : yellow)(`Completed with ${errors} error${errors === 1 ? '' : 's'} and ${warnings} warning${warnings === 1 ? '' : 's'}:`)}`);
          for (const x of recap) {
            out('');
            out(`${time()}  ${x.kind} in ${x.label}`);
            if (x.message) out(`${time()}    ${x.message.split('\n').join('\n            ')}`);
            if (x.compiledPath) out(`${time()}    compiled SQL at ${x.compiledPath}`);
          }
          out('');
          recap.length = 0;
        } else if (c.total) {
          out(`${time()}  ${green('Completed successfully')}`);
        }
        const line = `Done. PASS=${c.pass} WARN=${c.warn} ERROR=${c.error} SKIP=${c.skip} TOTAL=${c.total}`;
        out(`${time()}  ${c.error ? red(line) : green(line)}`);
        break;
      }
    }
  };
}

function jsonEvent(e: RunEvent): Record<string, unknown> {
  switch (e.type) {
    case 'node_end':
      return {
        event: 'node_end', unique_id: e.uniqueId, status: e.result.status, duration: e.result.executionTime,
        rows_affected: e.result.adapterResponse.rows_affected, job_id: e.result.adapterResponse.job_id, attempt: e.result.attempts ?? 1,
        error: e.result.status === 'error' ? e.result.message : undefined, message: e.result.message,
      };
    case 'run_end':
      return { event: 'run_end', elapsed: e.elapsed, success: e.counts.error === 0, ...e.counts };
    case 'run_start':
      return { event: 'run_start', invocation_id: e.invocationId, target: e.target, ds: e.ds, total: e.total };
    case 'node_retry':
      return { event: 'node_retry', unique_id: e.uniqueId, attempt: e.attempt, delay_ms: e.delayMs, error: e.error };
    case 'node_start':
      return { event: 'node_start', unique_id: e.uniqueId, index: e.index, total: e.total, attempt: e.attempt };
    default: {
      const { type, ...rest } = e;
      return { event: type, ...rest };
    }
  }
}
