// Dremio column types as cairn sees them (job result schemas: `INTEGER`, `DECIMAL(12,2)`, ...) and the
// rules Iceberg puts on them: which type changes ALTER COLUMN can apply in place, and which columns
// an aggregate reflection may SUM.
import type { Column } from '../adapter.js';
import { CairnError } from '../../core/errors.js';

export interface DremioColumnType { name: string; precision?: number; scale?: number }

const ALIASES: Record<string, string> = {
  INT: 'INTEGER', SMALLINT: 'INTEGER', TINYINT: 'INTEGER', REAL: 'FLOAT', 'DOUBLE PRECISION': 'DOUBLE',
  CHAR: 'VARCHAR', CHARACTER: 'VARCHAR', 'CHARACTER VARYING': 'VARCHAR', NUMERIC: 'DECIMAL', BINARY: 'VARBINARY',
};

export function parseType(text: string): DremioColumnType {
  const t = text.trim().toUpperCase().replace(/\s+/g, ' ');
  const m = /^([A-Z ]+?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(t);
  const base = m ? m[1]! : t;
  const name = ALIASES[base] ?? base;
  if (name !== 'DECIMAL') return { name };
  return { name, precision: m?.[2] ? Number(m[2]) : 38, scale: m?.[3] ? Number(m[3]) : 0 };
}

/** Iceberg's allowed in-place changes: same type, int -> bigint, float -> double, wider decimal with the same scale. */
export function isPromotion(from: string, to: string): boolean {
  const [a, b] = [parseType(from), parseType(to)];
  if (a.name === 'DECIMAL' && b.name === 'DECIMAL') return a.scale === b.scale && b.precision! >= a.precision!;
  if (a.name === b.name) return true;
  return (a.name === 'INTEGER' && b.name === 'BIGINT') || (a.name === 'FLOAT' && b.name === 'DOUBLE');
}

const NUMERIC = new Set(['INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL']);
export const isNumeric = (type: string): boolean => NUMERIC.has(parseType(type).name);

/**
 * `on_schema_change: sync_all_columns` on Dremio: every type change must be an Iceberg promotion,
 * checked before any statement runs. Otherwise Dremio refuses the ALTER COLUMN ("Cannot change data
 * type of column") after the ADD/DROP COLUMNS before it already ran, leaving the table half-migrated.
 */
export function assertPromotions(changed: ReadonlyArray<readonly [Column, Column]>): void {
  const bad = changed.filter(([t, q]) => !isPromotion(t.type, q.type));
  if (bad.length === 0) return;
  const list = bad.map(([t, q]) => `${t.name} ${t.type} -> ${q.type}`).join(', ');
  throw new CairnError('CONFIG_INVALID', `on_schema_change 'sync_all_columns' cannot change ${bad.length === 1 ? 'the type of column' : 'the types of columns'} ${list} in place: Iceberg only widens int -> bigint, float -> double and decimal(p,s) -> decimal(p2,s) with p2 >= p; the table was left untouched`, {
    hint: 'run this model with --full-refresh to rebuild the table with the new types, or cast the column in the model to its current type',
    exitCode: 1,
  });
}
