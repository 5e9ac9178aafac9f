// Rows affected on Dremio come from the write job's result, named as Dremio names it (dremio-oss
// DmlUtils.DML_OUTPUT_COLUMN_NAMES, RecordWriter.SCHEMA), not from the job's row count.
import { describe, expect, it } from 'vitest';
import { writeCount } from '../adapters/dremio/dremio-jobs.js';

describe('Dremio write counts', () => {
  it('reads Rows Inserted / Merged / Updated / Deleted, ignores Rows Rejected', () => {
    expect(writeCount([{ 'Rows Inserted': 7 }])).toBe(7);
    expect(writeCount([{ 'Rows Merged': 3 }])).toBe(3);
    expect(writeCount([{ 'Rows Updated': 2 }])).toBe(2);
    expect(writeCount([{ 'Rows Deleted': 5 }])).toBe(5);
    expect(writeCount([{ 'Rows Rejected': 9, 'Rows Inserted': 1 }])).toBe(1);
  });
  it('sums a CTAS writer result over its fragments', () => {
    expect(writeCount([{ Fragment: '0_0', Records: 10, Path: 'a' }, { Fragment: '1_0', Records: 5, Path: 'b' }])).toBe(15);
  });
  it('answers undefined for an empty or unknown result (the caller falls back to the job row count)', () => {
    expect(writeCount([])).toBeUndefined();
    expect(writeCount([{ ok: true, summary: 'done' }])).toBeUndefined();
  });
});
