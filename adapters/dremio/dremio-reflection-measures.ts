// Aggregate reflection measures: which computations each measure column gets, and which pairs Dremio
// refuses. Dremio allows SUM only on numeric (and interval) columns; text, binary, date, time,
// timestamp and boolean columns take COUNT, MIN, MAX and APPROX_COUNT_DISTINCT
// (dremio-oss AccelCreateReflectionHandler.TYPE_ALLOWANCES, enforced by ReflectionValidator).
// Defaults follow dbt-dremio's reflection materialization: SUM + COUNT on numeric columns, COUNT on
// the others (dbt-dremio counts only decimal/float/double as numeric; integers are numbers too here).
import type { Column } from '../adapter.js';
import { CairnError } from '../../core/errors.js';
import { didYouMean } from '../../core/util/did-you-mean.js';
import { isNumeric, parseType } from './dremio-types.js';

export const MEASURE_TYPES = ['SUM', 'COUNT', 'MIN', 'MAX', 'APPROX_COUNT_DISTINCT'] as const;
const NOT_SUMMABLE = 'COUNT, MIN, MAX, APPROX_COUNT_DISTINCT';

export interface MeasureField { name: string; measureTypeList: string[] }

export interface MeasureRequest {
  /** The reflection node's name, for messages. */
  model: string;
  file?: string;
  measures?: readonly string[];
  /** dbt-dremio's `computations`: a list parallel to `measures` ('SUM, COUNT' or a list each), or a map column -> list. */
  computations?: unknown;
  /** The anchor's columns; at compile time only those with a declared type. */
  columns?: readonly Column[];
  /** True when `columns` is the anchor's full column list (run time): unknown columns are errors. */
  complete?: boolean;
}

const splitList = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(String) : String(v ?? '').split(',')).map((s) => s.trim()).filter(Boolean);

/** The explicit computations per measure column (lower-cased name -> list), or an error for a bad shape. */
function explicitComputations(req: MeasureRequest, bad: (msg: string, hint?: string) => CairnError): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const c = req.computations;
  if (c === undefined || c === null) return out;
  const measures = req.measures ?? [];
  if (Array.isArray(c)) {
    if (c.length !== measures.length) {
      throw bad(`computations has ${c.length} entries but measures has ${measures.length}`, "give one entry per measure, e.g. computations=['SUM, COUNT', 'COUNT'], or a map {column: [SUM, COUNT]}");
    }
    c.forEach((v, i) => out.set(measures[i]!.toLowerCase(), splitList(v)));
  } else if (typeof c === 'object') {
    for (const [col, v] of Object.entries(c as Record<string, unknown>)) {
      if (!measures.some((m) => m.toLowerCase() === col.toLowerCase())) {
        throw bad(`computations names column \`${col}\`, which is not in measures`, didYouMean(col, measures) ?? 'add it to measures');
      }
      out.set(col.toLowerCase(), splitList(v));
    }
  } else {
    throw bad('computations must be a list (one entry per measure) or a map {column: [measures]}');
  }
  return out;
}

/**
 * The measureFields of an aggregate reflection. Throws a CairnError naming the model, column and
 * measure for an unknown measure, an unknown column (when the column list is complete) or a measure
 * Dremio does not allow on the column's type.
 */
export function reflectionMeasureFields(req: MeasureRequest): MeasureField[] {
  const bad = (msg: string, hint?: string) => new CairnError('CONFIG_INVALID', `reflection ${req.model}: ${msg}`, { node: req.model, file: req.file, hint });
  const explicit = explicitComputations(req, bad);
  const columns = req.columns ?? [];
  const out: MeasureField[] = [];
  for (const name of req.measures ?? []) {
    const col = columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!col && req.complete) {
      throw bad(`measure column \`${name}\` is not a column of the dataset`, didYouMean(name, columns.map((c) => c.name)) ?? `its columns are ${columns.map((c) => c.name).join(', ')}`);
    }
    const wanted = explicit.get(name.toLowerCase());
    for (const m of wanted ?? []) {
      if (!(MEASURE_TYPES as readonly string[]).includes(m.toUpperCase())) {
        throw bad(`unknown measure \`${m}\` for column \`${name}\``, didYouMean(m.toUpperCase(), MEASURE_TYPES) ?? `use ${MEASURE_TYPES.join(', ')}`);
      }
      if (col && m.toUpperCase() === 'SUM' && !summable(col.type)) {
        throw bad(`measure SUM is not allowed on column \`${name}\` (${col.type}); Dremio allows only ${NOT_SUMMABLE} on text, date, time, timestamp and boolean columns`,
          `set computations for \`${name}\` to e.g. 'COUNT, MAX', or cast it to a number in the model`);
      }
    }
    const list = wanted?.map((m) => m.toUpperCase()) ?? (col ? (summable(col.type) ? ['SUM', 'COUNT'] : ['COUNT']) : undefined);
    // Compile time, type unknown and nothing explicit: decided at run time.
    if (list) out.push({ name: col?.name ?? name, measureTypeList: [...new Set(list)] });
  }
  return out;
}

function summable(type: string): boolean {
  return isNumeric(type) || parseType(type).name.startsWith('INTERVAL');
}
