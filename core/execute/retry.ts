// Per-node retries: `retries`, `retry_delay` (seconds), `retry_backoff: exponential|fixed` from the
// node's config (project, folder, YAML or model level). Only errors the adapter classifies as
// transient are retried; a permanent error (syntax, missing object, permission) is tried once.
import type { Adapter } from '../../adapters/adapter.js';
import { CairnError, isCairnError } from '../errors.js';
import type { ProjectNode } from '../project/types.js';

export interface RetryPolicy {
  retries: number;
  delayMs: number;
  backoff: 'exponential' | 'fixed';
  /** Upper bound on one wait, whatever the backoff says. */
  maxDelayMs: number;
}

const MAX_DELAY_MS = 300_000;

function nonNegative(node: ProjectNode, key: string, v: unknown, integer: boolean): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    throw new CairnError('CONFIG_INVALID', `\`${key}\` must be a non-negative ${integer ? 'integer' : 'number'}, got \`${JSON.stringify(v)}\``, {
      node: node.name,
      file: node.originalFilePath,
      hint: integer ? `e.g. ${key}: 3` : `e.g. ${key}: 10 (seconds)`,
    });
  }
  return n;
}

/** The node's policy; `defaults` are project-wide keys (top level of dbt_project.yml). Throws on bad values. */
export function retryPolicy(node: ProjectNode, defaults: Readonly<Record<string, unknown>> = {}): RetryPolicy {
  const cfg = node.config;
  const pick = (k: string) => (cfg[k] !== undefined ? cfg[k] : defaults[k]);
  const retries = nonNegative(node, 'retries', pick('retries'), true) ?? 0;
  const delay = nonNegative(node, 'retry_delay', pick('retry_delay'), false) ?? 1;
  const backoff = pick('retry_backoff') ?? 'exponential';
  if (backoff !== 'exponential' && backoff !== 'fixed') {
    throw new CairnError('CONFIG_INVALID', `\`retry_backoff\` must be \`exponential\` or \`fixed\`, got \`${String(backoff)}\``, { node: node.name, file: node.originalFilePath });
  }
  return { retries, delayMs: delay * 1000, backoff, maxDelayMs: MAX_DELAY_MS };
}

/** Wait before attempt `attempt + 1` (attempt counts from 1): exponential doubles, capped, ±20% jitter. */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const base = policy.backoff === 'fixed' ? policy.delayMs : policy.delayMs * 2 ** (attempt - 1);
  const capped = Math.min(base, policy.maxDelayMs);
  // Jitter spreads retries of many nodes hitting the same busy engine.
  return Math.max(0, Math.round(capped * (0.8 + 0.4 * random())));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); resolve(); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface Attempt {
  /** Set when the attempt failed with an exception worth classifying. */
  error?: unknown;
  message?: string | null;
}

export interface RetryOptions<T extends Attempt> {
  policy: RetryPolicy;
  adapter: Pick<Adapter, 'classifyError'>;
  signal?: AbortSignal;
  attempt(n: number): Promise<T>;
  onRetry?(n: number, delayMs: number, error: string): void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Runs `attempt` until it succeeds, fails permanently, the run is stopped, or retries run out. */
export async function withRetries<T extends Attempt>(o: RetryOptions<T>): Promise<{ value: T; attempts: number }> {
  const wait = o.sleep ?? sleep;
  for (let n = 1; ; n++) {
    const value = await o.attempt(n);
    if (value.error === undefined || n > o.policy.retries || o.signal?.aborted) return { value, attempts: n };
    if (!isTransient(o.adapter, value.error)) return { value, attempts: n };
    const delay = retryDelay(o.policy, n);
    o.onRetry?.(n + 1, delay, String(value.message ?? (value.error as Error)?.message ?? value.error));
    await wait(delay, o.signal);
    if (o.signal?.aborted) return { value, attempts: n };
  }
}

/** cairn's own errors (bad config, compile errors) never improve on retry; engine errors ask the adapter. */
function isTransient(adapter: Pick<Adapter, 'classifyError'>, e: unknown): boolean {
  if (isCairnError(e) && e.code !== 'CONNECTION' && e.code !== 'SQL_ERROR') return false;
  return adapter.classifyError(e) === 'transient';
}
