import type { Quantities } from "./pricing";

/** What a visitor had chosen before being sent to sign in, kept for the round trip (this tab only). */
export interface SavedSelection {
  quantities: Quantities;
  couponCode: string | null;
}

const key = (eventId: string) => `boxoffice.selection.${eventId}`;

export function saveSelection(eventId: string, selection: SavedSelection): void {
  try {
    sessionStorage.setItem(key(eventId), JSON.stringify(selection));
  } catch {
    // Storage full or disabled: the visitor just picks again.
  }
}

/** Returns and forgets the saved selection. */
export function takeSelection(eventId: string): SavedSelection | null {
  try {
    const raw = sessionStorage.getItem(key(eventId));
    if (!raw) return null;
    sessionStorage.removeItem(key(eventId));
    const parsed = JSON.parse(raw) as Partial<SavedSelection>;
    const quantities: Quantities = {};
    for (const [id, n] of Object.entries(parsed.quantities ?? {})) {
      if (typeof n === "number" && Number.isInteger(n) && n > 0) quantities[id] = n;
    }
    return { quantities, couponCode: typeof parsed.couponCode === "string" ? parsed.couponCode : null };
  } catch {
    return null;
  }
}
