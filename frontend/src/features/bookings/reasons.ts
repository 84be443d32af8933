import { titleCase } from "../events/datetime";

const REASONS: Record<string, string> = {
  cancelled_by_customer: "Cancelled by you",
  cancelled_by_organizer: "Cancelled by the organizer",
  cancelled_by_admin: "Cancelled by Boxoffice support",
  tickets_refunded_by_customer: "Tickets refunded at your request",
  tickets_refunded_by_organizer: "Tickets refunded by the organizer",
  event_cancelled: "The event was cancelled",
  booking_cancelled_before_payment: "The booking was cancelled before the payment arrived",
  seats_gone_after_expiry: "The payment arrived after the hold expired and the tickets were gone",
  hold_expired: "The hold expired",
};

/** Server reason codes ("cancelled_by_customer") in words; free text from the organizer stays as is. */
export function reasonText(reason: string | null | undefined): string | null {
  if (!reason) return null;
  const known = REASONS[reason];
  if (known) return known;
  return /^[a-z0-9_]+$/.test(reason) ? titleCase(reason) : reason;
}
