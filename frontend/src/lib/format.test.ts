import { describe, expect, it } from "vitest";
import {
  availability,
  currencyExponent,
  eventDateParts,
  formatEventDate,
  formatMoney,
  formatPriceFrom,
} from "./format";

// Intl output uses U+00A0 / U+202F in places; normalise so assertions read naturally.
const plain = (s: string | null) => s?.replace(/[\u00a0\u202f]/g, " ") ?? null;

describe("formatMoney", () => {
  it("formats minor units with the currency's exponent", () => {
    expect(formatMoney(1250, "EUR", "en-GB")).toBe("€12.50");
    expect(formatMoney(0, "EUR", "en-GB")).toBe("€0.00");
    expect(formatMoney(123456, "USD", "en-US")).toBe("$1,234.56");
    expect(formatMoney(1500, "JPY", "en-US")).toBe("¥1,500");
    expect(plain(formatMoney(1234, "KWD", "en-US"))).toBe("KWD 1.234");
  });

  it("respects the locale's conventions", () => {
    expect(plain(formatMoney(1250, "EUR", "de-DE"))).toBe("12,50 €");
    expect(plain(formatMoney(1250, "EUR", "fr-FR"))).toBe("12,50 €");
  });

  it("accepts lower-case currency codes and falls back for unknown ones", () => {
    expect(formatMoney(999, "eur", "en-GB")).toBe("€9.99");
    expect(formatMoney(999, "NOT-A-CODE", "en-GB")).toBe("9.99 NOT-A-CODE");
  });

  it("knows minor-unit exponents", () => {
    expect(currencyExponent("EUR")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("BHD")).toBe(3);
  });
});

describe("formatPriceFrom", () => {
  it("prefixes 'from' when prices differ", () => {
    expect(formatPriceFrom(1250, 4000, "EUR", "en-GB")).toBe("from €12.50");
  });
  it("shows a single price when all tickets cost the same", () => {
    expect(formatPriceFrom(1250, 1250, "EUR", "en-GB")).toBe("€12.50");
  });
  it("says Free for free events and null when nothing is priced", () => {
    expect(formatPriceFrom(0, 0, "EUR", "en-GB")).toBe("Free");
    expect(formatPriceFrom(0, 1000, "EUR", "en-GB")).toBe("from €0.00");
    expect(formatPriceFrom(null, null, "EUR", "en-GB")).toBeNull();
  });
});

describe("formatEventDate", () => {
  const instant = "2030-06-14T20:00:00Z";

  // ICU versions differ on punctuation ("Fri 14" vs "Fri, 14"), so match the parts that matter.
  it("shows the time in the event's own timezone, not the reader's", () => {
    expect(plain(formatEventDate(instant, "Europe/Lisbon", "en-GB"))).toMatch(/^Fri,? 14 Jun 2030,? 21:00 (WEST|GMT\+1)$/);
    expect(plain(formatEventDate(instant, "America/New_York", "en-US"))).toMatch(/^Fri, Jun 14, 2030,? 04:00 PM EDT$/);
    expect(plain(formatEventDate(instant, "Asia/Tokyo", "en-GB"))).toMatch(/^Sat,? 15 Jun 2030,? 05:00 (JST|GMT\+9)$/);
  });

  it("falls back to UTC for an unknown timezone and to empty for a bad date", () => {
    expect(plain(formatEventDate(instant, "Mars/Olympus_Mons", "en-GB"))).toMatch(/^Fri,? 14 Jun 2030,? 20:00 UTC$/);
    expect(formatEventDate("not a date", "UTC", "en-GB")).toBe("");
  });

  it("gives calendar tile parts in the event's timezone", () => {
    expect(eventDateParts(instant, "Asia/Tokyo", "en-GB")).toEqual({ month: "Jun", day: "15" });
    expect(eventDateParts(instant, "America/Los_Angeles", "en-GB")).toEqual({ month: "Jun", day: "14" });
  });
});

describe("availability", () => {
  it("classifies remaining tickets", () => {
    expect(availability(0)).toBe("sold-out");
    expect(availability(3)).toBe("few-left");
    expect(availability(10)).toBe("few-left");
    expect(availability(11)).toBe("available");
    expect(availability(null)).toBe("unlimited");
  });
});
