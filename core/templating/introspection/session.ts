// Introspection while rendering: nunjucks renders synchronously, the engine answers asynchronously.
// A render that asks the database something it has no answer for yet stops right there (it throws
// NeedsDatabase); the runner (core/compile/introspect.ts) gets the answer from the engine and
// renders again from the start, replaying the answers it has in order, until a render completes.
// Stopping at the first unknown answer means the engine only ever sees the queries a real
// (execute-time) render would send, each once and in order: no query is built from a guessed
// result, and a statement with side effects (run-operation's `insert`) runs exactly once.
// A model that introspects nothing renders once, as before.
import type { Column, ExecResult, Relation, RelationKind } from '../../../adapters/adapter.js';
import { CairnError } from '../../errors.js';

export type DbRequest =
  | { kind: 'query'; sql: string; fetch: boolean; caller: string }
  | { kind: 'relation'; rel: Relation; caller: string }
  | { kind: 'columns'; rel: Relation; caller: string }
  | { kind: 'list'; database?: string; schema: string; caller: string };

export interface ListedRelation {
  relation: Relation;
  kind: RelationKind;
}

/** The engine's answer to each request kind. */
export type DbAnswer = ExecResult | RelationKind | null | Column[] | ListedRelation[];

/** A render stopped to ask the engine something (caught by the runner, never shown to a user as is). */
export class NeedsDatabase extends CairnError {
  constructor(readonly request: DbRequest, node: string, file: string) {
    super('USAGE', `\`${request.caller}\` reads the database, and this command renders without a connection to the target`, {
      node,
      file,
      hint: 'run it with `cairn compile`, `cairn run` or `cairn build`, which connect to the target; guard the call with `{% if execute %}` to skip it where no database is available',
    });
  }
}

/** One message a render logged (`log`, `print`, `exceptions.warn`, `print_table`). */
export interface RenderLog {
  level: 'info' | 'debug' | 'warn';
  message: string;
}

export class IntrospectionSession {
  private readonly answers: Array<{ key: string; value: DbAnswer }> = [];
  private cursor = 0;
  /** The request the current render stopped at. */
  pending: DbRequest | undefined;
  /** `{% call statement('name') %}` results of the current render, for `load_result('name')`. */
  readonly results = new Map<string, unknown>();
  /** Messages of the current render; only a completed render's are shown. */
  logs: RenderLog[] = [];
  /** Requests answered so far (each cost one more render). */
  get answered(): number {
    return this.answers.length;
  }

  /** Starts a render from the beginning. */
  restart(): void {
    this.cursor = 0;
    this.pending = undefined;
    this.results.clear();
    this.logs = [];
  }

  /** Where the render is, to rewind to if it starts over (the template fast path falling back). */
  mark(): () => void {
    const cursor = this.cursor;
    const logs = this.logs.length;
    return () => {
      this.cursor = cursor;
      this.pending = undefined;
      this.logs.length = logs;
    };
  }

  /** The answer to the next request, or stop the render (throws `stop()`) to get it from the engine. */
  ask<T extends DbAnswer>(req: DbRequest, stop: () => Error): T {
    const key = requestKey(req);
    const i = this.cursor++;
    const got = this.answers[i];
    if (got && got.key === key) return got.value as T;
    // A different request at this position: the render took another path (it read something that
    // changed). Later answers belonged to the old path.
    if (got) this.answers.length = i;
    this.pending = req;
    throw stop();
  }

  /** Records the engine's answer to `pending`. */
  answer(req: DbRequest, value: DbAnswer): void {
    this.answers.push({ key: requestKey(req), value });
    this.pending = undefined;
  }
}

function requestKey(r: DbRequest): string {
  switch (r.kind) {
    case 'query': return `q${r.fetch ? 1 : 0}:${r.sql}`;
    case 'relation': case 'columns': return `${r.kind}:${r.rel.database ?? ''}\u0000${r.rel.schema}\u0000${r.rel.identifier}`;
    case 'list': return `list:${r.database ?? ''}\u0000${r.schema}`;
  }
}
