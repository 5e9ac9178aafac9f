// Authentication: a personal access token goes out as `Bearer <pat>` (no login call); user+password
// logs in at /apiv2/login and sends `_dremio<token>`, logging in again once when a token expires.
// Error messages name the method that failed and never the secret.
import type { Target } from '../adapter.js';
import type { DremioClient } from './dremio-client.js';
import { DremioError, dremioMessage } from './dremio-errors.js';
import { api } from './dremio-paths.js';

export class DremioAuth {
  private token?: string;
  private pending?: Promise<string>;
  readonly method: 'pat' | 'password';

  constructor(private readonly client: DremioClient, private readonly target: Target) {
    const pat = target.pat ?? target.token;
    if (pat) this.method = 'pat';
    else if (target.user !== undefined && target.password !== undefined) this.method = 'password';
    else {
      throw new DremioError('CONFIG_INVALID', `target ${target.name} (type dremio) has no credentials`, false, {
        hint: client.ep.cloud ? 'set pat: "{{ env_var(\'DREMIO_PAT\') }}" (Dremio Cloud needs a personal access token)' : 'set user + password, or pat, from env_var()',
      });
    }
    if (client.ep.cloud && this.method !== 'pat') {
      throw new DremioError('CONFIG_INVALID', `target ${target.name}: Dremio Cloud has no user/password login`, false, { hint: 'use pat: a personal access token' });
    }
  }

  get canRelogin(): boolean {
    return this.method === 'password';
  }

  async header(signal?: AbortSignal): Promise<string> {
    if (this.method === 'pat') return `Bearer ${String(this.target.pat ?? this.target.token)}`;
    return `_dremio${this.token ?? (await this.login(signal))}`;
  }

  relogin(signal?: AbortSignal): Promise<string> {
    this.token = undefined;
    return this.login(signal);
  }

  /** One login at a time: concurrent first calls share it. */
  login(signal?: AbortSignal): Promise<string> {
    this.pending ??= this.doLogin(signal).finally(() => { this.pending = undefined; });
    return this.pending;
  }

  private async doLogin(signal?: AbortSignal): Promise<string> {
    const user = String(this.target.user);
    let r: { status: number; text: string };
    try {
      r = await this.client.raw('POST', api.login(), { userName: user, password: String(this.target.password) }, signal, undefined);
    } catch (e) {
      throw this.client.networkError(e, 'login', true);
    }
    let body: { token?: string } | undefined;
    try { body = r.text ? JSON.parse(r.text) : undefined; } catch { body = undefined; }
    if (r.status === 200 && body?.token) {
      this.token = body.token;
      return body.token;
    }
    if (r.status === 401 || r.status === 403) {
      throw new DremioError('CONNECTION', `user/password login as \`${user}\` was rejected by Dremio at ${this.client.ep.host}:${this.client.ep.port} (HTTP ${r.status}): ${dremioMessage(body, 'invalid credentials')}`, false, {
        hint: 'check user and password in profiles.yml (or the DREMIO_USER / DREMIO_PASSWORD env vars they read)',
        status: r.status,
      });
    }
    throw new DremioError('CONNECTION', `user/password login at ${this.client.ep.host}:${this.client.ep.port} failed (HTTP ${r.status}): ${dremioMessage(body, r.text.slice(0, 200))}`, r.status === 429 || r.status >= 502, { status: r.status });
  }

  /** A 401 that a fresh login could not fix (or a PAT the server does not accept). */
  rejected(status: number): DremioError {
    const where = `${this.client.ep.host}:${this.client.ep.port}`;
    if (this.method === 'pat') {
      return new DremioError('CONNECTION', `personal access token (pat) authentication was rejected by Dremio at ${where} (HTTP ${status})`, false, {
        hint: 'the token is wrong, expired or revoked; create a new one and set pat (e.g. env_var(\'DREMIO_PAT\'))',
        status,
      });
    }
    return new DremioError('CONNECTION', `user/password session for \`${String(this.target.user)}\` was rejected by Dremio at ${where} (HTTP ${status}) even after logging in again`, false, { status });
  }
}
