// A tiny REST client over the Dremio emulator for tests; every loop is bounded.
import { expect } from 'vitest';
import { request } from 'undici';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../dremio-emulator/server.js';
export interface Resp { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: any }

export async function call(method: string, url: string, auth?: string, body?: unknown): Promise<Resp> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth) headers['authorization'] = auth;
  const r = await request(url, {
    method: method as 'GET',
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await r.body.text();
  let json: any;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: r.statusCode, headers: r.headers, text, json };
}

/** A tiny client over the emulator; every loop is bounded. */
export function client(em: Emulator, base = em.softwareBase) {
  let auth = '';
  return {
    get auth() { return auth; },
    async login(user = 'dremio', password = 'dremio123') {
      const r = await call('POST', `${em.url}/apiv2/login`, undefined, { userName: user, password });
      auth = `_dremio${r.json.token}`;
      return r;
    },
    useBearer(token: string) { auth = `Bearer ${token}`; },
    call: (method: string, path: string, body?: unknown) => call(method, `${base}${path}`, auth, body),
    async submit(sql: string, context: string[] | null = null): Promise<string> {
      const r = await call('POST', `${base}/sql`, auth, { sql, context });
      expect(r.status).toBe(200);
      return r.json.id as string;
    },
    async wait(id: string, maxPolls = 50) {
      const states: string[] = [];
      for (let i = 0; i < maxPolls; i++) {
        const r = await call('GET', `${base}/job/${id}`, auth);
        expect(r.status).toBe(200);
        states.push(r.json.jobState);
        if (['COMPLETED', 'FAILED', 'CANCELED'].includes(r.json.jobState)) return { status: r.json, states };
        await new Promise((res) => setTimeout(res, 5));
      }
      throw new Error(`job ${id} not final after ${maxPolls} polls: ${states.join(',')}`);
    },
    async run(sql: string, context: string[] | null = null) {
      const id = await this.submit(sql, context);
      const { status } = await this.wait(id);
      if (status.jobState !== 'COMPLETED') return { id, status, rows: [] as any[], schema: [] as any[] };
      const r = await call('GET', `${base}/job/${id}/results?offset=0&limit=500`, auth);
      return { id, status, rows: r.json.rows as any[], schema: r.json.schema as any[] };
    },
    async ok(sql: string, context: string[] | null = null) {
      const r = await this.run(sql, context);
      if (r.status.jobState !== 'COMPLETED') throw new Error(`${sql} -> ${r.status.jobState}: ${r.status.errorMessage}`);
      return r;
    },
  };
}

/** The emulator both emulator suites run against: a lake source on a temp folder, logged in. */
export async function startTestEmulator(): Promise<{ em: Emulator; storage: string; c: ReturnType<typeof client> }> {
  const storage = mkdtempSync(join(tmpdir(), 'cairn-emu-'));
  const em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], catalogs: ['nessie'], pats: ['pat-123'], storageRoots: { lake: storage } });
  const c = client(em);
  await c.login();
  return { em, storage, c };
}

export async function stopTestEmulator(em: Emulator | undefined, storage: string | undefined): Promise<void> {
  await em?.close();
  if (storage) rmSync(storage, { recursive: true, force: true });
}
