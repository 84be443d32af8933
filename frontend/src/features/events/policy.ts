import { formatInZone } from "./datetime";

function span(hours: number): string {
  if (hours >= 48 && hours % 24 === 0) return `${hours / 24} days`;
  return hours === 1 ? "1 hour" : `${hours} hours`;
}

/** The last moment a customer may cancel for a refund, or null when refunds aren't offered. */
export function refundDeadline(startsAt: string, refundUntilHours: number | null): Date | null {
  if (refundUntilHours === null) return null;
  return new Date(new Date(startsAt).getTime() - refundUntilHours * 3_600_000);
}

/** The event's refund policy in one sentence. */
export function refundPolicyText(
  event: { starts_at: string; timezone: string; refund_until_hours: number | null },
  locale?: string,
): string {
  const hours = event.refund_until_hours;
  if (hours === null) return "Tickets can't be refunded online for this event. Contact the organizer if your plans change.";
  const deadline = refundDeadline(event.starts_at, hours)!;
  const until = formatInZone(deadline.toISOString(), event.timezone, locale);
  if (hours === 0) return `Full refund if you cancel before the event starts (${until}).`;
  return `Full refund if you cancel at least ${span(hours)} before the event starts, until ${until}.`;
}
