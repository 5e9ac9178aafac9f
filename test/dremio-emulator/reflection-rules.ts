// Validation of a reflection definition against its dataset's columns, as Dremio's REST reflection
// service does before it stores one (services/accelerator ReflectionValidator.validate, called by
// ReflectionServiceImpl.create/update): every named field must exist, and each measure's types must
// be allowed for the column's type family (AccelCreateReflectionHandler.TYPE_ALLOWANCES).
import { HttpError, isRecord } from './http-util.js';
import type { DremioType } from './types-map.js';

const ALL = ['APPROX_COUNT_DISTINCT', 'COUNT', 'MIN', 'MAX', 'SUM'];
const NO_SUM = ['APPROX_COUNT_DISTINCT', 'COUNT', 'MIN', 'MAX'];

/** SqlTypeFamily of a column as Dremio prints it in the message, and the measures it allows. */
function family(t: DremioType): { label: string; valid: readonly string[] } {
  switch (t.name) {
    case 'INTEGER': case 'BIGINT': case 'FLOAT': case 'DOUBLE': case 'DECIMAL': return { label: 'NUMERIC', valid: ALL };
    case 'VARCHAR': return { label: 'CHARACTER', valid: NO_SUM };
    case 'VARBINARY': return { label: 'BINARY', valid: NO_SUM };
    // Dremio registers DATE with a handler whose family is CHARACTER, so its message says CHARACTER.
    case 'DATE': return { label: 'CHARACTER', valid: NO_SUM };
    case 'TIME': return { label: 'TIME', valid: NO_SUM };
    case 'TIMESTAMP': return { label: 'TIMESTAMP', valid: NO_SUM };
    case 'BOOLEAN': return { label: 'BOOLEAN', valid: NO_SUM };
    case 'INTERVAL': return { label: 'INTERVAL_DAY_TIME', valid: ALL };
    // LIST/STRUCT/MAP: "Measure field cannot have field [x] of type list, map or union".
    default: return { label: t.name, valid: [] };
  }
}

const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter(isRecord).map((f) => String(f['name'])) : []);

/** Throws HttpError(400) with Dremio's text when the definition does not fit the dataset's columns. */
export function validateReflection(body: Record<string, unknown>, columns: ReadonlyArray<{ name: string; type: DremioType }>): void {
  // ReflectionValidator keys its schema map by the exact field name.
  const byName = new Map(columns.map((c) => [c.name, c.type]));
  const mustExist = (label: string, list: unknown): void => {
    for (const n of names(list)) {
      if (!byName.has(n)) throw new HttpError(400, `${label} field contains a field name [${n}] that does not exist in the dataset`);
    }
  };
  mustExist('Display', body['displayFields']);
  const measures = Array.isArray(body['measureFields']) ? body['measureFields'].filter(isRecord) : [];
  for (const m of measures) {
    const name = String(m['name']);
    const type = byName.get(name);
    if (!type) throw new HttpError(400, `Measure field contains a field name [${name}] that does not exist in the dataset`);
    const fam = family(type);
    if (fam.valid.length === 0) throw new HttpError(400, `Measure field cannot have field [${name}] of type list, map or union`);
    const requested = Array.isArray(m['measureTypeList']) ? m['measureTypeList'].map(String) : [];
    // An unknown enum constant fails JSON binding in Dremio; the exact text is Jackson's, not known here.
    const unknown = requested.filter((x) => !ALL.includes(x));
    if (unknown.length > 0) throw new HttpError(400, `Invalid measure type(s) [${unknown.join(', ')}] for field [${name}]`);
    const invalid = [...new Set(requested)].filter((x) => !fam.valid.includes(x));
    // Dremio passes the label "Measure", not the column name, as the field (ReflectionValidator.validateMeasures).
    if (invalid.length > 0) {
      throw new HttpError(400, `The following measure type(s) were invalid for the field Measure: [${invalid.join(', ')}]. Valid measures for type ${fam.label} include: [${fam.valid.join(', ')}].`);
    }
  }
  mustExist('Distribution', body['distributionFields']);
  mustExist('Sort', body['sortFields']);
  mustExist('Partition', body['partitionFields']);
  for (const n of names(body['dimensionFields'])) {
    // Dremio's message really says "does exist" (ReflectionValidator.validateDimensions).
    if (!byName.has(n)) throw new HttpError(400, `dimension field contains a field [${n}] that does exist in the dataset`);
  }
}
