// Secrets must never reach a log, an error, an artifact or compiled SQL. Every secret cairn reads
// (profile passwords and tokens, env vars that look secret) is registered here, and every text that
// leaves the process goes through `redact`.

const secrets = new Set<string>();
const SECRET_KEY = /(pass(word)?|secret|token|pat|private_key|api_key|credentials?)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || key.startsWith('DBT_ENV_SECRET');
}

export function registerSecret(value: unknown): void {
  if (typeof value === 'string' && value.length >= 3) secrets.add(value);
}

export function redact(text: string): string {
  if (secrets.size === 0) return text;
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('****');
  return out;
}

/** A copy of an object with secret-looking keys masked (for target/profile data in artifacts). */
export function maskSecrets<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = isSecretKey(k) && v !== undefined && v !== null ? '****' : v;
  return out as T;
}
