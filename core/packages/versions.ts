// Version ranges of hub packages as dbt writes them: `version: ">=1.0.0"`, `version: [">=1.0.0", "<2.0.0"]`,
// `version: 1.1.1`. Every requirement of a package (the root's and its dependencies') is intersected;
// the newest published version inside all of them is installed, prereleases only when asked for.

export interface Semver {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
}

export interface Bound {
  op: '>=' | '>' | '<=' | '<' | '=';
  v: Semver;
}

const VERSION_RE = /^\s*(>=|<=|>|<|=|==)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?\s*$/;

export function parseVersion(s: string): Semver | undefined {
  const m = VERSION_RE.exec(s);
  if (!m || m[1]) return undefined;
  return { major: +m[2]!, minor: +(m[3] ?? 0), patch: +(m[4] ?? 0), prerelease: m[5] ?? '' };
}

export function parseBound(s: string): Bound | undefined {
  const m = VERSION_RE.exec(s);
  if (!m) return undefined;
  const op = (m[1] === '==' || !m[1] ? '=' : m[1]) as Bound['op'];
  return { op, v: { major: +m[2]!, minor: +(m[3] ?? 0), patch: +(m[4] ?? 0), prerelease: m[5] ?? '' } };
}

export function compareVersions(a: Semver, b: Semver): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] - b[k];
  if (a.prerelease === b.prerelease) return 0;
  // A release sorts after its prereleases.
  if (!a.prerelease) return 1;
  if (!b.prerelease) return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

export const formatVersion = (v: Semver): string => `${v.major}.${v.minor}.${v.patch}${v.prerelease ? '-' + v.prerelease : ''}`;

function satisfies(v: Semver, b: Bound): boolean {
  const c = compareVersions(v, b.v);
  switch (b.op) {
    case '=': return c === 0;
    case '>=': return c >= 0;
    case '>': return c > 0;
    case '<=': return c <= 0;
    case '<': return c < 0;
  }
}

/** The requirement strings of one `version:` value (a string, a number or a list of them). */
export function requirementsOf(version: unknown): string[] {
  if (version === undefined || version === null) return [];
  return (Array.isArray(version) ? version : [version]).map((x) => String(x).trim()).filter(Boolean);
}

/**
 * The newest of `available` that meets every requirement, or undefined. A requirement that is not a
 * version range is reported by the caller (`badRequirement`).
 */
export function resolveVersion(requirements: readonly string[], available: readonly string[], prerelease = false): string | undefined {
  const bounds = requirements.map(parseBound).filter((b): b is Bound => !!b);
  let best: { s: string; v: Semver } | undefined;
  for (const s of available) {
    const v = parseVersion(s);
    if (!v) continue;
    // A prerelease is installed only when asked for, or when a requirement names it exactly.
    if (v.prerelease && !prerelease && !bounds.some((b) => b.op === '=' && compareVersions(b.v, v) === 0)) continue;
    if (!bounds.every((b) => satisfies(v, b))) continue;
    if (!best || compareVersions(v, best.v) > 0) best = { s, v };
  }
  return best?.s;
}

export function badRequirement(requirements: readonly string[]): string | undefined {
  return requirements.find((r) => !parseBound(r));
}

/**
 * dbt's `require-dbt-version` against the dbt version cairn stands in for: a list or a string of
 * ranges. Returns the ranges not met (empty when all are).
 */
export function unmetDbtVersion(require: unknown, dbtVersion: string): string[] {
  const v = parseVersion(dbtVersion);
  if (!v) return [];
  return requirementsOf(require).filter((r) => {
    const b = parseBound(r);
    return b !== undefined && !satisfies(v, b);
  });
}
