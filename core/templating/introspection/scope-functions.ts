// The dbt context members that read the database: `run_query`, `statement` + `load_result`,
// `adapter.get_columns_in_relation` / `get_relation` / `get_missing_columns` /
// `list_relations_without_caching` / `quote`, `load_relation`; and the helpers that come with them
// (`log`, `print`, `exceptions.warn`, `fromyaml`/`toyaml`). With `execute` false (parse) they return
// nothing, as in dbt; with `execute` true they ask the render's IntrospectionSession (session.ts).
import jsYaml from 'js-yaml';
import type { Column, Dialect, ExecResult, Relation, RelationKind, Target } from '../../../adapters/adapter.js';
import { CairnError } from '../../errors.js';
import { AgateTable } from './agate.js';
import { DbColumn, FoundRelation, relationArg } from './relations.js';
import { NeedsDatabase, type DbAnswer, type DbRequest, type IntrospectionSession, type ListedRelation, type RenderLog } from './session.js';

export interface IntrospectionHost {
  execute: boolean;
  dialect: Dialect;
  target: Target;
  /** The render in progress. */
  current(): { node: string; file: string; session?: IntrospectionSession; onLog?: (l: RenderLog) => void; stash(e: CairnError): void };
}

type Kw = Record<string, unknown> & { __keywords?: true };
const kwOf = (args: unknown[]): Kw => {
  const last = args[args.length - 1];
  return last && typeof last === 'object' && (last as Kw).__keywords === true ? (last as Kw) : {};
};
const posOf = (args: unknown[]): unknown[] => (Object.keys(kwOf(args)).length ? args.slice(0, -1) : args);

const textOf = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function introspectionFunctions(host: IntrospectionHost): Record<string, unknown> {
  const { dialect, execute } = host;
  /** Runs `fn`, stashing a CairnError on the scope so it survives nunjucks' re-wrapping. */
  const guard = <A extends unknown[], R>(fn: (...a: A) => R) => (...a: A): R => {
    try {
      return fn(...a);
    } catch (e) {
      if (e instanceof CairnError) host.current().stash(e);
      throw e;
    }
  };
  const ask = <T extends DbAnswer>(req: DbRequest): T => {
    const cur = host.current();
    const stop = () => new NeedsDatabase(req, cur.node, cur.file);
    if (!cur.session) throw stop();
    return cur.session.ask<T>(req, stop);
  };
  const fail = (message: string, hint?: string): never => {
    const cur = host.current();
    throw new CairnError('JINJA_RENDER', message, { node: cur.node, file: cur.file, hint });
  };
  const relation = (v: unknown, caller: string): Relation => {
    const r = relationArg(v);
    return typeof r === 'string' ? fail(`${caller}: ${r}`) : r;
  };
  const logTo = (level: 'info' | 'debug' | 'warn') => (msg: unknown) => {
    const cur = host.current();
    // In a session, only a completed render's messages are shown (the runner flushes them).
    if (cur.session) cur.session.logs.push({ level, message: textOf(msg) });
    else cur.onLog?.({ level, message: textOf(msg) });
  };
  const tableOf = (r: ExecResult) => AgateTable.of(r, logTo('info'));
  const resultOf = (r: ExecResult, fetched: boolean) => {
    const table = fetched ? tableOf(r) : AgateTable.empty();
    return { table, data: table.data(), response: { _message: 'OK', code: 'OK', rows_affected: r.rowsAffected ?? -1 } };
  };
  const columnsOf = (v: unknown, caller: string): DbColumn[] => {
    if (!execute) return [];
    return ask<Column[]>({ kind: 'columns', rel: relation(v, caller), caller }).map((c) => new DbColumn(c, dialect));
  };
  const getRelation = (database: unknown, schema: unknown, identifier: unknown, caller: string): FoundRelation | null => {
    if (!execute) return null;
    const rel: Relation = {
      database: typeof database === 'string' && database ? database : host.target.database,
      schema: String(schema ?? host.target.schema),
      identifier: String(identifier),
    };
    const kind = ask<RelationKind | null>({ kind: 'relation', rel, caller });
    return kind ? new FoundRelation(rel, kind, dialect) : null;
  };

  const adapter = {
    quote: (name: unknown) => dialect.quoteIdentifier(String(name)),
    type: () => host.target.type,
    get_columns_in_relation: guard((rel: unknown) => columnsOf(rel, 'adapter.get_columns_in_relation')),
    get_relation: guard((...args: unknown[]) => {
      const kw = kwOf(args);
      const [db, schema, id] = posOf(args);
      return getRelation(kw.database ?? db, kw.schema ?? schema, kw.identifier ?? id, 'adapter.get_relation');
    }),
    already_exists: guard((schema: unknown, name: unknown) => getRelation(undefined, schema, name, 'adapter.already_exists') !== null),
    get_missing_columns: guard((from: unknown, to: unknown) => {
      const have = new Set(columnsOf(to, 'adapter.get_missing_columns').map((c) => c.name.toLowerCase()));
      return columnsOf(from, 'adapter.get_missing_columns').filter((c) => !have.has(c.name.toLowerCase()));
    }),
    list_relations_without_caching: guard((schemaRelation: unknown) => {
      if (!execute) return [];
      const o = (schemaRelation ?? {}) as { database?: unknown; schema?: unknown };
      if (typeof o.schema !== 'string') fail('adapter.list_relations_without_caching: expected a relation with a schema (e.g. api.Relation.create(database=..., schema=...) or ref(...))');
      const database = typeof o.database === 'string' && o.database ? o.database : host.target.database;
      const found = ask<ListedRelation[]>({ kind: 'list', database, schema: String(o.schema), caller: 'adapter.list_relations_without_caching' });
      return found.map((f) => new FoundRelation(f.relation, f.kind, dialect));
    }),
  };

  const runQuery = guard((sql: unknown) => {
    if (!execute) return AgateTable.empty();
    return tableOf(ask<ExecResult>({ kind: 'query', sql: String(sql), fetch: true, caller: 'run_query' }));
  });

  // `{% call statement('name', fetch_result=True) %}SQL{% endcall %}`: nunjucks hands the block
  // to the function as the `caller` keyword argument.
  const statement = guard((...args: unknown[]) => {
    const kw = kwOf(args);
    const name = String(posOf(args)[0] ?? kw.name ?? 'main');
    const caller = typeof kw.caller === 'function' ? (kw.caller as () => unknown) : undefined;
    if (!execute) {
      // dbt does not render the block at parse time, so a ref() in it is no dependency and the model
      // may run before what it reads; rendering it here (output unused) records those refs.
      try {
        caller?.();
      } catch {
        // Whatever fails here fails again, reported, when the model is compiled.
      }
      return '';
    }
    const body = caller ? String(caller()) : '';
    const fetch = kw.fetch_result === true;
    const r = ask<ExecResult>({ kind: 'query', sql: body.trim(), fetch, caller: `statement('${name}')` });
    host.current().session?.results.set(name, resultOf(r, fetch));
    return '';
  });

  const loadResult = (name: unknown) => {
    if (!execute) return { table: AgateTable.empty(), data: [], response: { _message: '', code: '', rows_affected: -1 } };
    return host.current().session?.results.get(String(name)) ?? null;
  };

  const warn = (msg: unknown) => {
    if (execute) logTo('warn')(msg);
    return '';
  };

  return {
    run_query: runQuery,
    statement,
    load_result: loadResult,
    adapter,
    load_relation: guard((rel: unknown) => {
      const r = relation(rel, 'load_relation');
      return getRelation(r.database, r.schema, r.identifier, 'load_relation');
    }),
    log: (msg: unknown, ...rest: unknown[]) => {
      const kw = kwOf(rest);
      if (execute) logTo(kw.info === true || rest[0] === true ? 'info' : 'debug')(msg);
      return '';
    },
    print: (msg: unknown) => {
      if (execute) logTo('info')(msg);
      return '';
    },
    warn,
    fromyaml: (s: unknown, dflt: unknown = null) => {
      try {
        return jsYaml.load(String(s)) ?? null;
      } catch {
        return dflt;
      }
    },
    toyaml: (v: unknown) => jsYaml.dump(v, { sortKeys: false, lineWidth: -1 }),
  };
}
