/** Below this many tickets left, an event shows a "Few left" badge. */
export const FEW_LEFT_THRESHOLD = 10;

/** Number of minor units per major unit for a currency (EUR 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Formats integer minor units, e.g. (1250, "EUR") -> "€12.50". */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  const code = currency.toUpperCase();
  const exponent = currencyExponent(code);
  const major = minor / 10 ** exponent;
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency: code,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    }).format(major);
  } catch {
    return `${major.toFixed(exponent)} ${code}`;
  }
}

/**
 * The price line on an event card: "Free", "€12.50" when all tickets cost the same,
 * "from €12.50" otherwise, or null when the event has no priced tickets yet.
 */
export function formatPriceFrom(
  fromMinor: number | null,
  toMinor: number | null,
  currency: string,
  locale?: string,
): string | null {
  if (fromMinor === null) return null;
  if (fromMinor === 0 && (toMinor === null || toMinor === 0)) return "Free";
  const from = formatMoney(fromMinor, currency, locale);
  return toMinor === null || toMinor === fromMinor ? from : `from ${from}`;
}

function safeTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/**
 * When an event happens, in the event's own timezone (a concert in Lisbon is at 21:00 Lisbon
 * time wherever the reader is), e.g. "Sat, 14 Jun 2025, 21:00 WEST".
 */
export function formatEventDate(iso: string, timeZone: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return new Intl.DateTimeFormat(locale, {
    timeZone: safeTimeZone(timeZone),
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(date);
}

/** Short calendar tile parts in the event's timezone: { month: "Jun", day: "14" }. */
export function eventDateParts(
  iso: string,
  timeZone: string,
  locale?: string,
): { month: string; day: string } {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { month: "", day: "" };
  const parts = new Intl.DateTimeFormat(locale, {
    timeZone: safeTimeZone(timeZone),
    month: "short",
    day: "numeric",
  }).formatToParts(date);
  return {
    month: parts.find((p) => p.type === "month")?.value ?? "",
    day: parts.find((p) => p.type === "day")?.value ?? "",
  };
}

export type Availability = "sold-out" | "few-left" | "available" | "unlimited";

export function availability(remaining: number | null): Availability {
  if (remaining === null) return "unlimited";
  if (remaining <= 0) return "sold-out";
  if (remaining <= FEW_LEFT_THRESHOLD) return "few-left";
  return "available";
}
