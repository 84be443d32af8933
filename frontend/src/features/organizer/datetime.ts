/**
 * Event times are wall-clock times in the event's IANA timezone: the editor shows and sends them
 * that way (naive ISO strings, no offset), and the server converts them to UTC.
 */

/** Every IANA timezone this browser knows, UTC first. */
export function timeZones(): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  return ["UTC", ...zones.filter((z) => z !== "UTC")];
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

function isValidZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** "2030-06-14T21:00": an instant as the wall clock shows it in `timeZone`, for `datetime-local`. */
export function toZonedInput(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: isValidZone(timeZone) ? timeZone : "UTC",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "00";
  const hour = part("hour") === "24" ? "00" : part("hour");
  return `${part("year")}-${part("month")}-${part("day")}T${hour}:${part("minute")}`;
}

/** A `datetime-local` value as the naive ISO string the API reads in the event's timezone. */
export function fromZonedInput(value: string): string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  return /T\d{2}:\d{2}$/.test(trimmed) ? `${trimmed}:00` : trimmed;
}

/** A `datetime-local` value in the viewer's own timezone, as an instant (ISO with offset). */
export function localInputToIso(value: string): string | null {
  if (!value.trim()) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An instant as a `datetime-local` value in the viewer's own timezone. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "14 Jun 2030, 21:00" in the event's timezone (no zone name: the editor says which one). */
export function formatInZone(iso: string | null | undefined, timeZone: string, locale?: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(locale, {
    timeZone: isValidZone(timeZone) ? timeZone : "UTC",
    dateStyle: "medium",
    timeStyle: "short",
  }).format(date);
}
