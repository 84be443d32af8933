import { currencyExponent } from "../../lib/format";

/**
 * "12.50" (or "12,50") in major units to integer minor units for `currency`; null when the text
 * is not a non-negative amount with at most the currency's number of decimals.
 */
export function parseMoney(text: string, currency: string): number | null {
  const exponent = currencyExponent(currency);
  const normalized = text.trim().replace(/\s/g, "").replace(",", ".");
  const pattern = exponent > 0 ? new RegExp(`^\\d+(\\.\\d{0,${exponent}})?$`) : /^\d+$/;
  if (!pattern.test(normalized)) return null;
  const [whole = "0", fraction = ""] = normalized.split(".");
  const minor = Number(whole) * 10 ** exponent + Number((fraction + "0".repeat(exponent)).slice(0, exponent) || "0");
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units as the text of a major-unit input: (1250, "EUR") -> "12.50", (1500, "JPY") -> "1500". */
export function minorToInput(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return "";
  const exponent = currencyExponent(currency);
  return exponent === 0 ? String(minor) : (minor / 10 ** exponent).toFixed(exponent);
}

/** "0.01" for EUR, "1" for JPY: the `step` of a money input. */
export function moneyStep(currency: string): string {
  const exponent = currencyExponent(currency);
  return exponent === 0 ? "1" : `0.${"0".repeat(exponent - 1)}1`;
}

/** A whole number from an input, or null when it is empty; NaN when it is not a whole number. */
export function parseWhole(text: string): number | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}
