// What to do about the refusals a Dremio user meets most, keyed by Dremio's own error text
// (dremio-oss: IcebergDmlMergeDuplicateCheckTableFunction, IcebergBaseCommand.changePrimitiveColumn,
// Iceberg's PartitionSpec.checkCompatibility, AccelCreateReflectionHandler).
const HINTS: Array<[RegExp, string]> = [
  [/A target row matched more than once/i, "the model's new rows repeat a unique_key value; make unique_key unique in the model (e.g. keep one row per key with QUALIFY row_number() over (partition by <key> order by <ts> desc) = 1)"],
  [/Cannot change data type of column/i, 'Iceberg only widens int -> bigint, float -> double and decimal precision (same scale); rebuild the table with --full-refresh'],
  [/Invalid source type \S+ for transform: (year|month|day|hour)/i, 'partition_by year/month/day need a DATE or TIMESTAMP column and hour a TIMESTAMP; use the column itself (identity) or cast it in the model'],
  [/Invalid source type \S+ for transform: (bucket|truncate)/i, 'bucket(n, col) takes integer, decimal, text, binary, date, time or timestamp columns; truncate(w, col) integer, decimal, text or binary ones'],
  [/measure type\(s\) were invalid/i, "SUM works on numeric columns only: set the reflection's computations for that column to e.g. 'COUNT, MIN, MAX'"],
];

export function dremioHint(message: string): string | undefined {
  return HINTS.find(([re]) => re.test(message))?.[1];
}
