import { createServer, type IncomingMessage, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { duckdbProvider } from '../adapters/duckdb/index.js';
import { run } from '../core/api/index.js';
import type { RunEvent } from '../core/execute/events.js';
import { makeProject, PROFILE, PROJECT } from './helpers/project.js';

type Handler = (req: IncomingMessage, body: string, res: import('node:http').ServerResponse) => void;
const servers: Server[] = [];
afterEach(() => { for (const s of servers.splice(0)) s.closeAllConnections?.(), s.close(); });

async function serve(handler: Handler): Promise<string> {
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => handler(req, body, res));
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const a = s.address() as { port: number };
  return `http://127.0.0.1:${a.port}/hook?token=s3cr3t`;
}

function project(onFailure: string, profileExtra = '') {
  return makeProject({
    'dbt_project.yml': PROJECT('nf', `on_failure:\n${onFailure}`),
    'profiles.yml': PROFILE('nf', profileExtra),
    'models/ok.sql': 'select 1 as x',
    'models/bad.sql': 'select * from missing_table',
  });
}

describe('on_failure notifications', () => {
  it('POSTs a JSON summary of the failed run', async () => {
    const got: Array<{ path: string; body: Record<string, unknown> }> = [];
    const url = await serve((req, body, res) => { got.push({ path: req.url!, body: JSON.parse(body) }); res.end('ok'); });
    const dir = project(`  webhook: "${url}"\n`);
    const r = await run({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider });
    expect(r.success).toBe(false);
    expect(got.length).toBe(1);
    expect(got[0]!.body).toMatchObject({ event: 'run_failed', project: 'nf', target: 'dev', command: 'run', counts: { pass: 1, error: 1, total: 2 } });
    expect((got[0]!.body.failed as Array<{ unique_id: string }>).map((f) => f.unique_id)).toEqual(['model.nf.bad']);
  });

  it('retries once on an HTTP error; a successful run sends nothing', async () => {
    let n = 0;
    const url = await serve((_req, _b, res) => { n++; res.statusCode = n === 1 ? 503 : 200; res.end(); });
    const dir = project(`  webhook: "${url}"\n`);
    const events: RunEvent[] = [];
    await run({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider, onEvent: (e) => events.push(e) });
    expect(n).toBe(2);
    expect(events.filter((e) => e.type === 'warning')).toEqual([]);
    await run({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider, select: ['ok'] });
    expect(n).toBe(2);
  });

  it('a webhook that times out is logged and the run result is unchanged', async () => {
    let n = 0;
    const url = await serve(() => { n++; /* never answers */ });
    const dir = project(`  webhook: "${url}"\n  timeout: 0.3\n`);
    const events: RunEvent[] = [];
    const r = await run({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider, onEvent: (e) => events.push(e) });
    expect(r.success).toBe(false);
    expect(r.results.map((x) => x.status).sort()).toEqual(['error', 'success']);
    expect(n).toBe(2);
    const warnings = events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message);
    expect(warnings).toEqual([expect.stringMatching(/^on_failure webhook http:\/\/127\.0\.0\.1:\d+\/hook failed after 2 attempts: timed out after 0\.3s$/)]);
    expect(warnings[0]).not.toContain('s3cr3t');
  });

  it('runs a shell command with the summary, configured per target', async () => {
    const dir = project('  command: "false"\n', '      on_failure:\n        command: "cat > notified.json"\n');
    const r = await run({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider });
    expect(r.success).toBe(false);
    expect(existsSync(join(dir, 'notified.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'notified.json'), 'utf8')).failed[0].unique_id).toBe('model.nf.bad');
  });
});
