// A Retry-After longer than cairn's cap is cut to the cap, and the wait is said, not silent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dremioProvider } from '../../adapters/dremio/index.js';
import type { DremioAdapter } from '../../adapters/dremio/dremio-adapter.js';
import { startEmulator, type Emulator } from '../dremio-emulator/server.js';

let em: Emulator;
let adapter: DremioAdapter | undefined;
beforeEach(async () => { em = await startEmulator({ sources: ['lake'], spaces: [], pats: [], jobPolls: 1 }); });
afterEach(async () => { await adapter?.close(); await em.close(); });

describe('Retry-After', { timeout: 10_000 }, () => {
  it('above the cap: waits the cap and says what for and how long; a short one is silent', async () => {
    const notices: string[] = [];
    adapter = dremioProvider.connect(
      { name: 'test', type: 'dremio', schema: 'main', threads: 1, software_host: '127.0.0.1', port: em.port, user: 'dremio', password: 'dremio123' },
      { projectDir: '.', onWarning: (m) => notices.push(m) },
    ) as DremioAdapter;
    adapter.client.retry = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 50 };
    adapter.jobs.poll = { initialMs: 5, factor: 1.5, maxMs: 50 };
    em.faults.rateLimit({ match: /\/sql$/, retryAfterSeconds: 3600 });
    em.faults.rateLimit({ match: /\/sql$/, retryAfterSeconds: 0 });
    const r = await adapter.execute('SELECT 7 AS x', { fetch: true });
    expect(r.rows).toEqual([{ x: 7 }]);
    expect(em.faults.fired).toMatchObject({ 429: 2 });
    expect(notices).toEqual(['Dremio asked to retry submit (HTTP 429) after 3600 s (Retry-After: 3600), above the 0.05 s cap: waiting 0.05 s before attempt 2 of 4']);
  });
});
