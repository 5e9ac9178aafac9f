// `--state DIR`: the manifest (and run results, when there are any) of an earlier invocation, e.g.
// production's target folder, read once and checked for a format cairn can compare against.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CairnError } from '../errors.js';
import { CAIRN_VERSION } from '../version.js';
import { STATE_FORMAT_VERSION, type NodeFingerprint } from './fingerprint.js';

export interface StateNode {
  uniqueId: string;
  name: string;
  resourceType: string;
  database: string | null;
  schema: string | null;
  alias: string;
  materialized?: string;
  dependsOnMacros: string[];
  fingerprint?: NodeFingerprint;
}

export interface StateManifest {
  dir: string;
  targetName?: string;
  nodes: Map<string, StateNode>;
  /** Macro unique id → its text. */
  macros: Map<string, string>;
  /** unique id → status from the state's run_results.json, when present. */
  results: Map<string, string>;
}

const REFRESH_HINT = 'rebuild the state with this cairn version (`cairn compile` or `cairn build` on that target), then pass its target folder';

function readJson(path: string, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch (e) {
    throw new CairnError('USAGE', `--state: ${what} is not valid JSON: ${(e as Error).message}`, { file: path, hint: REFRESH_HINT });
  }
  throw new CairnError('USAGE', `--state: ${what} is not a JSON object`, { file: path, hint: REFRESH_HINT });
}

export function loadState(dirArg: string, cwd = process.cwd()): StateManifest {
  const dir = resolve(cwd, dirArg);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CairnError('USAGE', `--state ${dirArg}: no such folder (${dir})`, { hint: 'point --state at the target folder of an earlier run, e.g. --state prod-target/' });
  }
  const mpath = join(dir, 'manifest.json');
  if (!existsSync(mpath)) {
    throw new CairnError('USAGE', `the --state folder has no manifest.json`, {
      file: mpath,
      hint: 'point --state at the target folder of an earlier `cairn compile`/`run`/`build` (the folder holding manifest.json)',
    });
  }
  const m = readJson(mpath, 'manifest.json');
  const meta = (m.metadata ?? {}) as Record<string, unknown>;
  const schema = String(meta.dbt_schema_version ?? '');
  // Written in metadata.env since manifests validate against dbt's schema; older ones had own keys.
  const env = (meta.env ?? {}) as Record<string, string | undefined>;
  const fmt = env.CAIRN_STATE_VERSION !== undefined ? Number(env.CAIRN_STATE_VERSION) : meta.cairn_state_version;
  const cairnVersion = env.CAIRN_VERSION ?? meta.cairn_version;
  if (!/manifest\/v12\.json$/.test(schema) || fmt !== STATE_FORMAT_VERSION) {
    const from = cairnVersion ? `cairn ${String(cairnVersion)}` : meta.dbt_version ? `dbt ${String(meta.dbt_version)}` : 'an unknown tool';
    const why = fmt === undefined ? 'it has no cairn state fingerprints' : `its state format is ${String(fmt)}, this cairn (${CAIRN_VERSION}) reads ${STATE_FORMAT_VERSION}`;
    throw new CairnError('USAGE', `--state ${dirArg}: manifest.json was written by ${from} (${schema || 'no schema version'}) and cannot be compared: ${why}`, { file: mpath, hint: REFRESH_HINT });
  }
  const nodes = new Map<string, StateNode>();
  for (const section of ['nodes', 'sources', 'unit_tests']) {
    for (const [id, raw] of Object.entries((m[section] ?? {}) as Record<string, Record<string, unknown>>)) {
      const cfg = (raw.config ?? {}) as Record<string, unknown>;
      nodes.set(id, {
        uniqueId: id,
        name: String(raw.name),
        resourceType: String(raw.resource_type),
        database: (raw.database as string | null) ?? null,
        schema: (raw.schema as string | null) ?? null,
        alias: String(raw.alias ?? raw.name),
        materialized: cfg.materialized as string | undefined,
        dependsOnMacros: ((raw.depends_on as { macros?: string[] } | undefined)?.macros ?? []).map(String),
        fingerprint: (fingerprintOf(raw.meta) ?? fingerprintOf(cfg.meta) ?? raw.cairn_state) as NodeFingerprint | undefined,
      });
    }
  }
  const macros = new Map<string, string>();
  for (const [id, raw] of Object.entries((m.macros ?? {}) as Record<string, Record<string, unknown>>)) macros.set(id, String(raw.macro_sql ?? ''));
  const results = new Map<string, string>();
  const rpath = join(dir, 'run_results.json');
  if (existsSync(rpath)) {
    const rr = readJson(rpath, 'run_results.json');
    for (const r of (rr.results ?? []) as Array<Record<string, unknown>>) results.set(String(r.unique_id), String(r.status));
  }
  return { dir, targetName: (env.CAIRN_TARGET_NAME ?? meta.target_name) as string | undefined, nodes, macros, results };
}

/** The state fingerprint kept in an entry's `meta` (or a unit test's `config.meta`). */
function fingerprintOf(meta: unknown): unknown {
  return meta && typeof meta === 'object' ? (meta as Record<string, unknown>).cairn_state : undefined;
}
