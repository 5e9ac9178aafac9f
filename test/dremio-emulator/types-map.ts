// DuckDB result types and values -> Dremio's REST result encoding (JobResource/DataJsonOutput):
// schema entries {name, type:{name[, precision, scale][, subSchema]}}, DECIMAL as a JSON number,
// TIMESTAMP as "YYYY-MM-DD HH:MM:SS.fff" (UTC, no T/Z), DATE "YYYY-MM-DD", TIME "HH:MM:SS.fff",
// VARBINARY base64, SQL NULL as explicit null.
import {
  DuckDBTypeId, type DuckDBType, type DuckDBValue, DuckDBDecimalType, DuckDBListType, DuckDBArrayType, DuckDBStructType,
  DuckDBDecimalValue, DuckDBTimestampValue, DuckDBTimestampTZValue, DuckDBTimestampMillisecondsValue,
  DuckDBTimestampSecondsValue, DuckDBTimestampNanosecondsValue, DuckDBDateValue, DuckDBTimeValue, DuckDBBlobValue,
  DuckDBListValue, DuckDBArrayValue, DuckDBStructValue, DuckDBMapValue, DuckDBIntervalValue,
} from '@duckdb/node-api';

export interface DremioType {
  name: string;
  precision?: number;
  scale?: number;
  subSchema?: Array<{ name?: string; type: DremioType }>;
}

export function dremioType(t: DuckDBType): DremioType {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN: return { name: 'BOOLEAN' };
    // Dremio promotes small integer types to INT.
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: return { name: 'INTEGER' };
    // DuckDB widens SUM(BIGINT) to HUGEINT; Dremio would say BIGINT.
    case DuckDBTypeId.BIGINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UHUGEINT: return { name: 'BIGINT' };
    case DuckDBTypeId.FLOAT: return { name: 'FLOAT' };
    case DuckDBTypeId.DOUBLE: return { name: 'DOUBLE' };
    case DuckDBTypeId.DECIMAL: {
      const d = t as DuckDBDecimalType;
      return { name: 'DECIMAL', precision: d.width, scale: d.scale };
    }
    case DuckDBTypeId.VARCHAR: case DuckDBTypeId.UUID: case DuckDBTypeId.ENUM: return { name: 'VARCHAR' };
    case DuckDBTypeId.BLOB: case DuckDBTypeId.BIT: return { name: 'VARBINARY' };
    case DuckDBTypeId.DATE: return { name: 'DATE' };
    case DuckDBTypeId.TIME: case DuckDBTypeId.TIME_TZ: case DuckDBTypeId.TIME_NS: return { name: 'TIME' };
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_S: case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS: case DuckDBTypeId.TIMESTAMP_TZ: return { name: 'TIMESTAMP' };
    case DuckDBTypeId.INTERVAL: return { name: 'INTERVAL' };
    case DuckDBTypeId.LIST: return { name: 'LIST', subSchema: [{ type: dremioType((t as DuckDBListType).valueType) }] };
    case DuckDBTypeId.ARRAY: return { name: 'LIST', subSchema: [{ type: dremioType((t as DuckDBArrayType).valueType) }] };
    case DuckDBTypeId.STRUCT: {
      const s = t as DuckDBStructType;
      return { name: 'STRUCT', subSchema: s.entryNames.map((name, i) => ({ name, type: dremioType(s.entryTypes[i]!) })) };
    }
    case DuckDBTypeId.MAP: return { name: 'MAP' };
    case DuckDBTypeId.SQLNULL: return { name: 'OTHER' };
    default: return { name: 'OTHER' };
  }
}

const pad = (n: number | bigint, w = 2): string => String(n).padStart(w, '0');

function formatTimestampMicros(micros: bigint): string {
  const ms = Number(micros / 1000n) - (micros < 0n && micros % 1000n !== 0n ? 1 : 0);
  const iso = new Date(ms).toISOString(); // 2024-05-01T10:00:00.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

function formatTimeMicros(micros: bigint): string {
  const totalMs = micros / 1000n;
  const h = totalMs / 3_600_000n;
  const m = (totalMs / 60_000n) % 60n;
  const s = (totalMs / 1000n) % 60n;
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(totalMs % 1000n, 3)}`;
}

export function dremioValue(v: DuckDBValue): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof DuckDBDecimalValue) return v.toDouble();
  if (v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) return formatTimestampMicros(v.micros);
  if (v instanceof DuckDBTimestampMillisecondsValue) return formatTimestampMicros(v.millis * 1000n);
  if (v instanceof DuckDBTimestampSecondsValue) return formatTimestampMicros(v.seconds * 1_000_000n);
  if (v instanceof DuckDBTimestampNanosecondsValue) return formatTimestampMicros(v.nanos / 1000n);
  if (v instanceof DuckDBDateValue) return v.toString();
  if (v instanceof DuckDBTimeValue) return formatTimeMicros(v.micros);
  if (v instanceof DuckDBBlobValue) return Buffer.from(v.bytes).toString('base64');
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(dremioValue);
  if (v instanceof DuckDBStructValue) {
    return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, dremioValue(x)]));
  }
  if (v instanceof DuckDBMapValue) return Object.fromEntries(v.entries.map((e) => [String(e.key), dremioValue(e.value)]));
  if (v instanceof DuckDBIntervalValue) return v.toString();
  return String(v);
}
