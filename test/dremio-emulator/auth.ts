// Authentication: POST /apiv2/login issues session tokens; API calls carry `_dremio<token>`,
// `_dremio <token>` or `Bearer <token-or-PAT>`. Anything else gets the auth filter's empty-body 401.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Faults } from './faults.js';
import { EMULATOR_VERSION } from './system-tables.js';

/** Dremio's default session lifetime is 30 hours. */
const TOKEN_TTL_MS = 30 * 60 * 60 * 1000;

interface Session { user: string; expires: number; epoch: number }

export class Auth {
  private readonly sessions = new Map<string, Session>();
  private readonly userIds = new Map<string, string>();
  private readonly clusterId = randomUUID();

  constructor(private readonly users: Readonly<Record<string, string>>, private readonly pats: readonly string[], private readonly faults: Faults) {
    for (const u of Object.keys(users)) this.userIds.set(u, randomUUID());
  }

  /** Returns the login body, or an error message for the 401. */
  login(body: unknown): { ok: true; body: Record<string, unknown> } | { ok: false; message: string } {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const user = typeof b['userName'] === 'string' ? b['userName'] : '';
    const password = typeof b['password'] === 'string' ? b['password'] : '';
    if (user === '' || password === '') return { ok: false, message: 'user name or password cannot be null or empty' };
    if (this.users[user] !== password) return { ok: false, message: 'Login was unsuccessful' };
    const token = randomBytes(16).toString('base64url');
    const expires = Date.now() + TOKEN_TTL_MS;
    this.sessions.set(token, { user, expires, epoch: this.faults.epoch });
    return {
      ok: true,
      body: {
        token, userName: user, firstName: user, lastName: '', expires, email: `${user}@example.com`,
        userId: this.userIds.get(user), admin: true, clusterId: this.clusterId, clusterCreatedAt: Date.now(),
        showUserAndUserProperties: true, version: EMULATOR_VERSION,
        permissions: { canUploadProfiles: true, canDownloadProfiles: true, canEmailForSupport: true, canChatForSupport: false },
      },
    };
  }

  logout(header: string | undefined): void {
    const t = this.parse(header, false);
    if (t) this.sessions.delete(t);
  }

  /** The user behind an Authorization header, or undefined. Cloud only accepts `Bearer`. */
  authenticate(header: string | undefined, bearerOnly: boolean): string | undefined {
    const token = this.parse(header, bearerOnly);
    if (!token) return undefined;
    const s = this.sessions.get(token);
    if (s) return s.expires > Date.now() && s.epoch === this.faults.epoch ? s.user : undefined;
    // PATs belong to the first configured user.
    return this.pats.includes(token) ? Object.keys(this.users)[0] ?? 'dremio' : undefined;
  }

  private parse(header: string | undefined, bearerOnly: boolean): string | undefined {
    if (!header) return undefined;
    if (header.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || undefined;
    // TokenUtils.getToken: strip a leading "_dremio" and trim.
    if (!bearerOnly && header.startsWith('_dremio')) return header.slice('_dremio'.length).trim() || undefined;
    return undefined;
  }
}
