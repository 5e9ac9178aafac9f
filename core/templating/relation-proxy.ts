// What `ref()`, `source()` and `this` return: renders as the quoted relation, and has dbt's
// Relation attributes (`.identifier`, `.schema`, `.database`, `.name`) for templates that read them.
import type { Relation } from '../../adapters/adapter.js';

export class RelationProxy {
  readonly database: string | undefined;
  readonly schema: string;
  readonly identifier: string;
  readonly name: string;
  readonly table: string;
  /** What dbt_utils' `_is_relation` checks (`obj.get('metadata', {}).get('type', '').endswith('Relation')`). */
  readonly metadata = { type: 'BaseRelation' };
  private readonly rendered: string;
  constructor(rel: Relation, rendered: string) {
    this.database = rel.database;
    this.schema = rel.schema;
    this.identifier = rel.identifier;
    this.name = rel.identifier;
    this.table = rel.identifier;
    this.rendered = rendered;
  }
  toString(): string {
    return this.rendered;
  }
  render(): string {
    return this.rendered;
  }
  include(): RelationProxy {
    return this;
  }
}
