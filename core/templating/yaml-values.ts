// dbt renders Jinja inside dbt_project.yml and profiles.yml values (`{{ env_var('X', 'd') }}`).
// We render only string scalars that contain Jinja, with a small scope, and locate failures.
import nunjucks from 'nunjucks';
import { CairnError, isCairnError } from '../errors.js';
import { lineOf, type YamlFile } from '../project/yaml-file.js';
import { createTemplateEnv, type TemplateEnv, type RenderScope } from './environment.js';
import { toCairnError } from './render.js';

let shared: TemplateEnv | undefined;
function yamlEnv(): TemplateEnv {
  return (shared ??= createTemplateEnv());
}

export interface EnvVarReader {
  (name: string, dflt?: unknown): string;
}

/** env_var() as dbt has it: the variable, else the default, else an error. Records what was read. */
export function makeEnvVar(read: Map<string, string | undefined>, onSecret?: (v: string) => void): EnvVarReader {
  return (name: string, dflt?: unknown) => {
    const v = process.env[name];
    read.set(name, v);
    if (v !== undefined) {
      if (onSecret && (name.startsWith('DBT_ENV_SECRET') || /PASSWORD|TOKEN|SECRET|PAT$/i.test(name))) onSecret(v);
      return v;
    }
    if (dflt !== undefined && !(typeof dflt === 'object' && dflt !== null && '__keywords' in dflt)) return String(dflt);
    throw new CairnError('ENV_VAR_MISSING', `environment variable \`${name}\` is not set and env_var() has no default`, {
      hint: `set it (export ${name}=...) or give a default: env_var('${name}', 'value')`,
    });
  };
}

/** `skip(path)`: values left as written (dbt renders hooks when they run, not when it loads the file). */
export function renderYamlValues<T>(f: YamlFile<T>, scope: RenderScope, skip?: (path: ReadonlyArray<string | number>) => boolean): T {
  const env = yamlEnv();
  const walk = (v: unknown, path: Array<string | number>): unknown => {
    if (skip?.(path)) return v;
    if (typeof v === 'string') {
      if (!v.includes('{{') && !v.includes('{%')) return v;
      try {
        return nativeScalar(env.withScope(scope, () => nunjucks.compile(v, env.env).render({})), v);
      } catch (e) {
        const line = lineOf(f, path);
        const inner = findCairn(e, scope);
        if (inner) throw new CairnError(inner.code, inner.message, { file: f.file, line, hint: inner.hint });
        const ce = toCairnError(e, f.file, 'JINJA_RENDER');
        throw new CairnError(ce.code, ce.message, { file: f.file, line, hint: ce.hint });
      }
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, [...path, k]);
      return out;
    }
    return v;
  };
  return walk(f.value, []) as T;
}

/**
 * dbt renders YAML natively (a NativeEnvironment: the output goes through Python's literal_eval), so
 * `enabled: "{{ var('load', false) }}"` is the boolean false, not the text "False", which would be a
 * true value. Booleans and None are converted here; `| as_text` keeps the text, as in dbt.
 */
function nativeScalar(out: string, src: string): unknown {
  if (/\bas_text\b/.test(src)) return out;
  const t = out.trim();
  return t === 'True' ? true : t === 'False' ? false : t === 'None' ? null : out;
}

/** The scope's functions stash the CairnError they threw, since nunjucks re-wraps errors. */
function findCairn(e: unknown, scope: RenderScope): CairnError | undefined {
  const stashed = (scope as { __error?: CairnError }).__error;
  if (stashed) return stashed;
  return isCairnError(e) ? e : undefined;
}

/** Wraps scope functions so a CairnError they throw survives nunjucks' wrapping. */
export function stashErrors(scope: RenderScope): RenderScope {
  const out: RenderScope = { ...scope };
  for (const k of Object.keys(scope)) {
    const v = scope[k];
    if (typeof v === 'function') {
      out[k] = (...args: unknown[]) => {
        try {
          return (v as (...a: unknown[]) => unknown)(...args);
        } catch (e) {
          if (isCairnError(e)) (out as { __error?: CairnError }).__error = e;
          throw e;
        }
      };
    }
  }
  return out;
}
