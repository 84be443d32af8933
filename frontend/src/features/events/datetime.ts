/** Date helpers for event pages. Event times are always shown in the event's own timezone. */

function zoneOrUtc(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

function valid(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

const DAY: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short", year: "numeric" };
const TIME: Intl.DateTimeFormatOptions = { hour: "numeric", minute: "2-digit" };

/**
 * "Sat, 14 Jun 2030, 21:00 – 23:00 WEST", or across days
 * "Sat, 14 Jun 2030, 15:00 – Mon, 16 Jun 2030, 23:00 CEST".
 */
export function formatEventRange(startIso: string, endIso: string, timeZone: string, locale?: string): string {
  const start = valid(startIso);
  const end = valid(endIso);
  if (!start) return "";
  const format = new Intl.DateTimeFormat(locale, { ...DAY, ...TIME, timeZone: zoneOrUtc(timeZone), timeZoneName: "short" });
  if (!end || end <= start) return format.format(start);
  return format.formatRange(start, end);
}

/** "Sat, 14 Jun 2030, 21:00 WEST": one moment in the event's timezone (sales windows, deadlines). */
export function formatInZone(iso: string | null | undefined, timeZone: string, locale?: string): string {
  const date = valid(iso);
  if (!date) return "";
  return new Intl.DateTimeFormat(locale, { ...DAY, ...TIME, timeZone: zoneOrUtc(timeZone), timeZoneName: "short" }).format(date);
}

/** "Sat, 14 Jun 2030": the day only, in the event's timezone. */
export function formatDayInZone(iso: string, timeZone: string, locale?: string): string {
  const date = valid(iso);
  if (!date) return "";
  return new Intl.DateTimeFormat(locale, { ...DAY, timeZone: zoneOrUtc(timeZone) }).format(date);
}

/** "Central European Summer Time" for the event's zone at that moment (falls back to the IANA name). */
export function longZoneName(iso: string, timeZone: string, locale?: string): string {
  const date = valid(iso);
  if (!date) return timeZone;
  const part = new Intl.DateTimeFormat(locale, { timeZone: zoneOrUtc(timeZone), timeZoneName: "long" })
    .formatToParts(date)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}

/** A moment in the reader's own timezone (booking timeline entries: when *you* did something). */
export function formatLocal(iso: string | null | undefined, locale?: string): string {
  const date = valid(iso);
  if (!date) return "";
  return new Intl.DateTimeFormat(locale, { ...DAY, ...TIME }).format(date);
}

export function titleCase(value: string): string {
  return value
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}
