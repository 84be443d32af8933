/** One bar: `label` is short (axis), `fullLabel` is what the data table shows. */
export interface ChartDatum {
  key: string;
  label: string;
  fullLabel: string;
  value: number;
}

const DAY = 24 * 3600 * 1000;
/** Longer spans are shown per week so the bars stay readable. */
export const MAX_DAILY_BUCKETS = 92;

function startOfLocalDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

function dayKey(date: Date): string {
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${date.getFullYear()}-${m}-${d}`;
}

/** Monday of the date's week (local time). */
function startOfWeek(date: Date): Date {
  const day = startOfLocalDay(date);
  const offset = (day.getDay() + 6) % 7;
  return new Date(day.getFullYear(), day.getMonth(), day.getDate() - offset);
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/**
 * Sums `valueOf(item)` per calendar day of `dateOf(item)` (the viewer's local days), with empty
 * days filled in so gaps show as gaps. The range covers every item, stretched to `from`/`to` when
 * given and back to at least `minDays` days (so one day of sales isn't one giant bar); spans
 * longer than {@link MAX_DAILY_BUCKETS} days are grouped per week.
 */
export function timeSeries<T>(
  items: readonly T[],
  dateOf: (item: T) => string | Date,
  valueOf: (item: T) => number,
  { from, to, minDays = 1, locale }: { from?: Date; to?: Date; minDays?: number; locale?: string } = {},
): { data: ChartDatum[]; unit: "day" | "week" } {
  const dated = items
    .map((item) => ({ when: new Date(dateOf(item)), value: valueOf(item) }))
    .filter((p) => !Number.isNaN(p.when.getTime()));
  if (dated.length === 0 && (!from || !to)) return { data: [], unit: "day" };
  const times = dated.map((p) => p.when.getTime());
  const last = startOfLocalDay(new Date(Math.max(...times, ...(to ? [to.getTime()] : []))));
  const earliest = startOfLocalDay(new Date(Math.min(...times, ...(from ? [from.getTime()] : []))));
  const first = new Date(Math.min(earliest.getTime(), addDays(last, -(minDays - 1)).getTime()));
  const spanDays = Math.round((last.getTime() - first.getTime()) / DAY) + 1;
  const unit = spanDays > MAX_DAILY_BUCKETS ? "week" : "day";
  const bucketOf = unit === "week" ? startOfWeek : startOfLocalDay;
  const step = unit === "week" ? 7 : 1;

  const sums = new Map<string, number>();
  for (const p of dated) {
    const key = dayKey(bucketOf(p.when));
    sums.set(key, (sums.get(key) ?? 0) + p.value);
  }
  const short = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" });
  const long = new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", year: "numeric" });
  const data: ChartDatum[] = [];
  for (let bucket = bucketOf(first); bucket.getTime() <= last.getTime(); bucket = addDays(bucket, step)) {
    const key = dayKey(bucket);
    data.push({
      key,
      label: short.format(bucket),
      fullLabel: unit === "week" ? `Week of ${long.format(bucket)}` : long.format(bucket),
      value: sums.get(key) ?? 0,
    });
  }
  return { data, unit };
}
