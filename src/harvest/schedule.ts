/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) as harvest
 * schedules: `*`, numbers, ranges `a-b`, steps `*\/n` and `a-b/n`, lists `a,b`; day of week
 * 0–7 with 0 and 7 Sunday. Day of month and day of week combine as in Vixie cron: when both
 * are restricted, either may match. Evaluated in the server's time zone (TZ).
 */
export interface Cron {
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const FIELDS: [name: string, min: number, max: number][] = [
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day of month', 1, 31],
  ['month', 1, 12],
  ['day of week', 0, 7],
];

function field(text: string, [name, min, max]: (typeof FIELDS)[number]): Set<number> {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!m) throw new Error(`${name}: "${item}" is not a number, range, step or *`);
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) throw new Error(`${name}: "${item}" is outside ${min}–${max}`);
    for (let v = from; v <= to; v += step) out.add(name === 'day of week' && v === 7 ? 0 : v);
  }
  return out;
}

/** Parses a schedule; throws with a sentence naming the field that is wrong. */
export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`a cron expression has 5 fields (minute hour day month weekday), not ${parts.length}`);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts.map((p, i) => field(p, FIELDS[i]));
  return { minute, hour, dayOfMonth, month, dayOfWeek, domRestricted: parts[2] !== '*', dowRestricted: parts[4] !== '*' };
}

/** Whether the schedule fires in the minute of `at`. */
export function cronMatches(cron: Cron, at: Date): boolean {
  if (!cron.minute.has(at.getMinutes()) || !cron.hour.has(at.getHours()) || !cron.month.has(at.getMonth() + 1)) return false;
  const dom = cron.dayOfMonth.has(at.getDate());
  const dow = cron.dayOfWeek.has(at.getDay());
  if (cron.domRestricted && cron.dowRestricted) return dom || dow;
  return dom && dow;
}
