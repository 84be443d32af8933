import type { BookingRead } from "./organizerApi";

/** What a booking brought in: its total minus what was refunded. */
export function netMinor(booking: BookingRead): number {
  return Math.max(0, booking.total_minor - booking.refunded_minor);
}

/** Net revenue of confirmed bookings, per currency (an event has one; the platform many). */
export function revenueByCurrency(bookings: readonly BookingRead[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const b of bookings) {
    if (b.status !== "confirmed") continue;
    totals.set(b.currency, (totals.get(b.currency) ?? 0) + netMinor(b));
  }
  return totals;
}

export function ticketCount(booking: BookingRead): number {
  return booking.items.reduce((sum, line) => sum + line.quantity, 0);
}

/** "2 × General, 1 × VIP". */
export function itemsText(booking: BookingRead): string {
  return booking.items.map((line) => `${line.quantity} × ${line.ticket_type_name}`).join(", ");
}

/** When the sale happened: confirmation time, else creation. */
export function saleDate(booking: BookingRead): string {
  return booking.confirmed_at ?? booking.created_at;
}
