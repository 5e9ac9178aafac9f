// `run_started_at` behaves like the Python datetime dbt exposes: prints ISO, has strftime().
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function strftime(d: Date, fmt: string): string {
  return fmt.replace(/%([YmdHMSfjyBbAaZz%])/g, (_m, c: string) => {
    switch (c) {
      case 'Y': return String(d.getUTCFullYear());
      case 'y': return pad(d.getUTCFullYear() % 100);
      case 'm': return pad(d.getUTCMonth() + 1);
      case 'd': return pad(d.getUTCDate());
      case 'H': return pad(d.getUTCHours());
      case 'M': return pad(d.getUTCMinutes());
      case 'S': return pad(d.getUTCSeconds());
      case 'f': return pad(d.getUTCMilliseconds() * 1000, 6);
      case 'j': return pad(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1, 3);
      case 'Z': return 'UTC';
      case 'z': return '+0000';
      case '%': return '%';
      default: return d.toUTCString();
    }
  });
}

export class PyDateTime {
  constructor(readonly date: Date) {}
  strftime(fmt: string): string {
    return strftime(this.date, fmt);
  }
  isoformat(): string {
    return this.date.toISOString().replace('Z', '+00:00');
  }
  toString(): string {
    return strftime(this.date, '%Y-%m-%d %H:%M:%S.%f+00:00');
  }
  get year() { return this.date.getUTCFullYear(); }
  get month() { return this.date.getUTCMonth() + 1; }
  get day() { return this.date.getUTCDate(); }
}
