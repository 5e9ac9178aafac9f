import { describe, expect, it } from 'vitest';
import { formatInZone, humanAge } from '../core/util/time-format.js';

describe('time formats', () => {
  it('ages in the two largest units', () => {
    expect(humanAge(92146855)).toBe('1066d 12h');
    expect(humanAge(86400)).toBe('1d');
    expect(humanAge(5400)).toBe('1h 30m');
    expect(humanAge(125)).toBe('2m 5s');
    expect(humanAge(42.4)).toBe('42s');
    expect(humanAge(-3)).toBe('0s');
  });

  it('instants in a timezone with its offset, summer and winter', () => {
    expect(formatInZone(new Date('2026-12-06T08:00:00Z'), 'Europe/Berlin')).toBe('2026-12-06 09:00:00+01:00');
    expect(formatInZone(new Date('2026-07-06T07:00:00Z'), 'Europe/Berlin')).toBe('2026-07-06 09:00:00+02:00');
    expect(formatInZone(new Date('2026-07-06T13:00:00Z'), 'America/New_York')).toBe('2026-07-06 09:00:00-04:00');
    expect(formatInZone(new Date('2026-07-06T03:30:00Z'), 'Asia/Kolkata')).toBe('2026-07-06 09:00:00+05:30');
    expect(formatInZone(new Date('2026-07-06T09:00:00Z'), 'UTC')).toBe('2026-07-06 09:00:00+00:00');
  });
});
