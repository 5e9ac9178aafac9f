// What Iceberg (as Dremio drives it) refuses about column types: type changes that are not Iceberg
// promotions, and partition transforms on columns they cannot transform. Kept apart from the DDL
// emulation so the rules are one readable list; sql-ddl.ts calls in here.
import { validationError } from './errors.js';
import type { DremioType } from './types-map.js';

/** A Dremio SQL type as written in DDL (`int`, `DECIMAL(10,2)`, `varchar(20)`, `double precision`). */
export function sqlType(text: string): DremioType {
  const t = text.trim().toUpperCase().replace(/\s+/g, ' ');
  const m = /^(DECIMAL|NUMERIC|DEC)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(t);
  // Dremio's DECIMAL without precision is DECIMAL(38, 0) (Calcite's default for the type).
  if (m) return { name: 'DECIMAL', precision: m[2] ? Number(m[2]) : 38, scale: m[3] ? Number(m[3]) : 0 };
  const base = t.replace(/\s*\(.*\)$/, '');
  const names: Record<string, string> = {
    INT: 'INTEGER', INTEGER: 'INTEGER', SMALLINT: 'INTEGER', TINYINT: 'INTEGER', BIGINT: 'BIGINT',
    FLOAT: 'FLOAT', REAL: 'FLOAT', DOUBLE: 'DOUBLE', 'DOUBLE PRECISION': 'DOUBLE',
    VARCHAR: 'VARCHAR', CHAR: 'VARCHAR', CHARACTER: 'VARCHAR', 'CHARACTER VARYING': 'VARCHAR', STRING: 'VARCHAR',
    BOOLEAN: 'BOOLEAN', DATE: 'DATE', TIME: 'TIME', TIMESTAMP: 'TIMESTAMP',
    VARBINARY: 'VARBINARY', BINARY: 'VARBINARY', 'BINARY VARYING': 'VARBINARY',
  };
  const name = names[base];
  // ChangeColumnHandler / SqlHandlerUtil.fieldFromSqlColDeclaration: an unknown type name is refused.
  if (!name) throw validationError(`Invalid column type [\`${text.trim().toLowerCase()}\`] specified`);
  return { name };
}

/** As IcebergBaseCommand.sqlTypeNameWithPrecisionAndScale prints it: `DECIMAL(10, 2)`, `VARCHAR`. */
export const typeLabel = (t: DremioType): string => (t.name === 'DECIMAL' ? `DECIMAL(${t.precision}, ${t.scale})` : t.name);

/**
 * Iceberg's TypeUtil.isPromotionAllowed: the same type, int -> long, float -> double, or a decimal
 * whose precision grows and whose scale stays. Every VARCHAR length is Iceberg's one `string` type.
 */
export function promotionAllowed(from: DremioType, to: DremioType): boolean {
  if (from.name === 'DECIMAL' && to.name === 'DECIMAL') return to.scale === from.scale && (to.precision ?? 38) >= (from.precision ?? 38);
  if (from.name === to.name) return true;
  return (from.name === 'INTEGER' && to.name === 'BIGINT') || (from.name === 'FLOAT' && to.name === 'DOUBLE');
}

/**
 * ALTER TABLE ... ALTER|CHANGE|MODIFY COLUMN: Dremio's IcebergBaseCommand.changePrimitiveColumn refuses
 * a non-promotion with "Cannot change data type of column [c] from X to Y" (VALIDATION ERROR);
 * ChangeColumnHandler first checks that the column exists and that a new name is free.
 */
export function checkColumnChange(table: string, columns: ReadonlyArray<{ name: string; type: DremioType }>, from: string, to: string, newType: DremioType): string {
  const col = columns.find((c) => c.name.toLowerCase() === from.toLowerCase());
  if (!col) throw validationError(`Column [${from}] is not present in table [${table}]`);
  if (from.toLowerCase() !== to.toLowerCase() && columns.some((c) => c.name.toLowerCase() === to.toLowerCase())) {
    throw validationError(`Column [${to}] already present in table [${table}]`);
  }
  if (!promotionAllowed(col.type, newType)) {
    throw validationError(`Cannot change data type of column [${from}] from ${typeLabel(col.type)} to ${typeLabel(newType)}`);
  }
  return col.name;
}

/** Dremio's SchemaConverter maps its types to these Iceberg types (TIMESTAMP is `timestamptz`). */
function icebergType(t: DremioType): string {
  switch (t.name) {
    case 'INTEGER': return 'int';
    case 'BIGINT': return 'long';
    case 'FLOAT': return 'float';
    case 'DOUBLE': return 'double';
    case 'DECIMAL': return `decimal(${t.precision}, ${t.scale})`;
    case 'VARCHAR': return 'string';
    case 'BOOLEAN': return 'boolean';
    case 'DATE': return 'date';
    case 'TIME': return 'time';
    case 'TIMESTAMP': return 'timestamptz';
    case 'VARBINARY': return 'binary';
    default: return t.name.toLowerCase();
  }
}

// Iceberg's Transform.canTransform per transform (Iceberg 1.6, the version Dremio 25.2 ships).
const TEMPORAL = new Set(['date', 'timestamptz']);
const CAN_TRANSFORM: Record<string, (iceberg: string) => boolean> = {
  year: (t) => TEMPORAL.has(t),
  month: (t) => TEMPORAL.has(t),
  day: (t) => TEMPORAL.has(t),
  hour: (t) => t === 'timestamptz',
  bucket: (t) => ['int', 'long', 'date', 'time', 'timestamptz', 'string', 'binary'].includes(t) || t.startsWith('decimal'),
  truncate: (t) => ['int', 'long', 'string', 'binary'].includes(t) || t.startsWith('decimal'),
};

/**
 * One PARTITION BY item of a CTAS, already known to name an existing column. Dremio builds a
 * PartitionTransform (sabot PartitionTransform.from / validateAndConvertArguments: unknown name or
 * wrong arguments refused), then IcebergUtils.getIcebergPartitionSpecFromTransforms asks Iceberg's
 * PartitionSpec.Builder, whose checkCompatibility fails with "Invalid source type int for transform:
 * month"; Dremio rethrows that text as a VALIDATION ERROR. The exact wording is Iceberg's; the
 * refusal itself is certain.
 */
export function checkPartitionTransform(transform: string, args: readonly string[], column: { name: string; type: DremioType }): void {
  const name = transform.toLowerCase();
  if (name === 'identity') return;
  const can = CAN_TRANSFORM[name];
  if (!can) throw validationError(`Unknown partition transform '${transform}'`);
  const wantsArg = name === 'bucket' || name === 'truncate';
  if (args.length !== (wantsArg ? 1 : 0)) throw validationError(`Invalid arguments for partition transform '${name}'`);
  if (wantsArg && !/^\d+$/.test(args[0]!)) throw validationError(`Invalid argument '${args[0]}' for partition transform '${name}'`);
  const iceberg = icebergType(column.type);
  if (!can(iceberg)) throw validationError(`Invalid source type ${iceberg} for transform: ${wantsArg ? `${name}[${args[0]}]` : name}`);
}
