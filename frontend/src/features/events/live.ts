import type { Availability } from "../../realtime/messages";
import type { EventRead, TicketTypeRead } from "./eventsApi";
import type { Quantities } from "./pricing";

/**
 * The event with the live counters on top: remaining seats, current price and sales state per
 * ticket type. The live message wins over the HTTP copy, which the server may serve from a cache
 * up to several seconds old (and the page asks for a fresh snapshot after each refetch). Types the
 * message does not list are left alone (hidden ones, or one added since: `event_changed` refetches).
 */
export function withAvailability(event: EventRead, message: Availability | null): EventRead {
  if (!message || message.event_id !== event.id) return event;
  const live = new Map(message.ticket_types.map((t) => [t.id, t]));
  let changed = event.remaining !== message.remaining || event.sold_out !== message.sold_out;
  const ticketTypes = event.ticket_types.map((t) => {
    const now = live.get(t.id);
    if (!now || (now.remaining === t.remaining && now.price_minor === t.price_minor && now.sales_status === t.sales_status)) return t;
    changed = true;
    return { ...t, remaining: now.remaining, price_minor: now.price_minor, sales_status: now.sales_status };
  });
  return changed ? { ...event, ticket_types: ticketTypes, remaining: message.remaining, sold_out: message.sold_out } : event;
}

/** What changed in a selection that availability had to shrink, in one sentence; null if nothing did. */
export function describeAdjustment(ticketTypes: TicketTypeRead[], before: Quantities, after: Quantities): string | null {
  const parts: string[] = [];
  for (const t of ticketTypes) {
    const wanted = before[t.id] ?? 0;
    const now = after[t.id] ?? 0;
    if (now >= wanted) continue;
    const left = `only ${t.remaining} ${t.name} ${t.remaining === 1 ? "ticket is" : "tickets are"} left`;
    if (t.sales_status === "sold_out" || (now === 0 && t.sales_status === "on_sale" && t.remaining === 0)) {
      parts.push(`${t.name} just sold out`);
    } else if (now === 0 && t.sales_status === "on_sale") {
      parts.push(`${left}, fewer than the minimum per order`);
    } else if (now === 0) {
      parts.push(`${t.name} is no longer on sale`);
    } else {
      parts.push(left);
    }
  }
  if (parts.length === 0) return null;
  const sentence = parts.join("; ");
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}. We've updated your selection.`;
}
