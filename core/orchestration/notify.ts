// `on_failure` notifications for a failed run: a webhook (JSON summary POSTed through undici, with a
// timeout and one retry) and/or a shell command (summary as JSON on stdin and in CAIRN_RUN_SUMMARY).
// Configured in dbt_project.yml and/or per target in profiles.yml (the target's keys win). A
// notification that fails is reported as a warning; it never changes the run's own result.
import { spawn } from 'node:child_process';
import { undici } from '../util/undici.js';
import type { Target } from '../../adapters/adapter.js';
import type { NodeResult } from '../artifacts/run-results.js';
import { CairnError } from '../errors.js';
import { countResults, type RunCounts } from '../execute/events.js';
import { redact } from '../util/redact.js';

export interface OnFailureConfig {
  webhook?: string;
  command?: string;
  /** Seconds per attempt (default 10). */
  timeout: number;
}

export interface RunSummary {
  event: 'run_failed';
  project: string;
  target: string;
  command: string;
  invocation_id: string;
  ds: string;
  elapsed: number;
  counts: RunCounts;
  failed: Array<{ unique_id: string; status: string; message: string | null; attempts: number }>;
}

function section(v: unknown, where: string): Partial<OnFailureConfig> {
  if (v === undefined || v === null) return {};
  if (typeof v === 'string') return { webhook: v };
  if (typeof v !== 'object' || Array.isArray(v)) throw new CairnError('CONFIG_INVALID', `\`on_failure\` in ${where} must be a mapping with webhook and/or command`, { file: where });
  const o = v as Record<string, unknown>;
  const out: Partial<OnFailureConfig> = {};
  if (o.webhook !== undefined) {
    const u = String(o.webhook);
    if (!/^https?:\/\//.test(u)) throw new CairnError('CONFIG_INVALID', '`on_failure.webhook` must be an http(s) URL', { file: where });
    out.webhook = u;
  }
  if (o.command !== undefined) out.command = String(o.command);
  if (o.timeout !== undefined) {
    const t = Number(o.timeout);
    if (!Number.isFinite(t) || t <= 0) throw new CairnError('CONFIG_INVALID', '`on_failure.timeout` must be a positive number of seconds', { file: where });
    out.timeout = t;
  }
  return out;
}

export function onFailureConfig(projectRaw: Readonly<Record<string, unknown>>, target: Target): OnFailureConfig | undefined {
  const merged = { timeout: 10, ...section(projectRaw.on_failure, 'dbt_project.yml'), ...section(target.on_failure, 'profiles.yml') };
  return merged.webhook || merged.command ? merged : undefined;
}

export function runSummary(o: { project: string; target: string; command: string; invocationId: string; ds: string; elapsed: number; results: readonly NodeResult[] }): RunSummary {
  return {
    event: 'run_failed', project: o.project, target: o.target, command: o.command, invocation_id: o.invocationId, ds: o.ds, elapsed: o.elapsed,
    counts: countResults(o.results),
    failed: o.results.filter((r) => r.status === 'error' || r.status === 'fail').map((r) => ({ unique_id: r.uniqueId, status: r.status, message: r.message === null ? null : redact(r.message), attempts: r.attempts ?? 1 })),
  };
}

/** Scheme, host and path only: query strings of webhook URLs often carry tokens. */
const safeUrl = (u: string) => { try { const x = new URL(u); return `${x.origin}${x.pathname}`; } catch { return 'the webhook URL'; } };

async function postOnce(url: string, body: string, timeoutMs: number): Promise<void> {
  const res = await undici().request(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(timeoutMs), headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  await res.body.dump();
  if (res.statusCode >= 300) throw new Error(`HTTP ${res.statusCode}`);
}

function runCommand(command: string, body: string, timeoutMs: number, cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, CAIRN_RUN_SUMMARY: body } });
    let err = '';
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out after ${timeoutMs / 1000}s`)); }, timeoutMs);
    child.stderr.on('data', (d) => { if (err.length < 2000) err += d; });
    child.stdin.on('error', () => undefined);
    child.stdin.end(body);
    child.on('error', (e) => { clearTimeout(t); reject(e); });
    child.on('exit', (code) => { clearTimeout(t); code === 0 ? resolve() : reject(new Error(`exited with code ${code}${err ? `: ${err.trim().split('\n')[0]}` : ''}`)); });
  });
}

/** Sends the notifications (the command runs in `cwd`, the project folder); returns warnings, never throws. */
export async function notifyFailure(cfg: OnFailureConfig, summary: RunSummary, cwd?: string): Promise<string[]> {
  const body = JSON.stringify(summary);
  const timeoutMs = cfg.timeout * 1000;
  const warnings: string[] = [];
  const jobs: Promise<void>[] = [];
  if (cfg.webhook) {
    const url = cfg.webhook;
    jobs.push((async () => {
      let last: unknown;
      for (let attempt = 1; attempt <= 2; attempt++) {
        try { return await postOnce(url, body, timeoutMs); } catch (e) { last = e; }
      }
      const m = (last as Error)?.name === 'TimeoutError' || /timeout/i.test(String((last as Error)?.message)) ? `timed out after ${cfg.timeout}s` : String((last as Error)?.message ?? last);
      warnings.push(redact(`on_failure webhook ${safeUrl(url)} failed after 2 attempts: ${m}`));
    })());
  }
  if (cfg.command) {
    const command = cfg.command;
    jobs.push(runCommand(command, body, timeoutMs, cwd).catch((e: Error) => { warnings.push(redact(`on_failure command failed: ${e.message}`)); }));
  }
  await Promise.all(jobs);
  return warnings;
}
