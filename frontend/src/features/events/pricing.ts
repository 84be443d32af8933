import type { CouponPublic } from "../bookings/bookingsApi";
import { formatMoney } from "../../lib/format";
import type { EventRead, TicketTypeRead } from "./eventsApi";

/** Tickets chosen per ticket type id. */
export type Quantities = Record<string, number>;

export interface Line {
  ticketType: TicketTypeRead;
  quantity: number;
  lineTotalMinor: number;
}

/** How many of a ticket type one order may hold right now (0 when it can't be bought). */
export function maxSelectable(ticketType: TicketTypeRead): number {
  if (ticketType.sales_status !== "on_sale") return 0;
  const most = Math.min(ticketType.max_per_order, ticketType.remaining, 50);
  return most >= Math.max(1, ticketType.min_per_order) ? most : 0;
}

/** The ticket types a buyer sees, in the organizer's order. */
export function buyableTypes(event: EventRead): TicketTypeRead[] {
  return event.ticket_types.filter((t) => !t.hidden).sort((a, b) => a.sort_order - b.sort_order);
}

export function linesOf(ticketTypes: TicketTypeRead[], quantities: Quantities): Line[] {
  return ticketTypes
    .map((ticketType) => {
      const quantity = quantities[ticketType.id] ?? 0;
      return { ticketType, quantity, lineTotalMinor: quantity * ticketType.price_minor };
    })
    .filter((line) => line.quantity > 0);
}

/** Drops quantities the event no longer allows (sold out since, limits changed). */
export function clampQuantities(ticketTypes: TicketTypeRead[], quantities: Quantities): Quantities {
  const out: Quantities = {};
  for (const t of ticketTypes) {
    const wanted = quantities[t.id] ?? 0;
    const max = maxSelectable(t);
    if (wanted > 0 && max > 0) out[t.id] = Math.min(Math.max(wanted, t.min_per_order), max);
  }
  return out;
}

export type CouponState =
  /** Applies: `discountMinor` comes off the subtotal. */
  | { kind: "applied"; summary: string; discountMinor: number; note?: string }
  /** Fine, but not for what is selected now (no matching tickets, below the minimum). */
  | { kind: "waiting"; summary: string; message: string }
  /** Can't be used for this event at all. */
  | { kind: "invalid"; message: string };

function joinNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * What a coupon does for this event and selection, mirroring the server's rules (the server
 * decides at booking time; this is the preview the buyer sees while choosing).
 */
export function evaluateCoupon(
  coupon: CouponPublic,
  event: EventRead,
  lines: Line[],
  now: Date = new Date(),
  locale?: string,
): CouponState {
  const money = (minor: number) => formatMoney(minor, event.currency, locale);
  if (coupon.event_id && coupon.event_id !== event.id) {
    return { kind: "invalid", message: "This code is for a different event." };
  }
  if (!coupon.available) {
    const expired = coupon.valid_until !== null && new Date(coupon.valid_until) <= now;
    return { kind: "invalid", message: expired ? "This code has expired." : "This code is no longer available." };
  }
  if (coupon.kind === "fixed" && coupon.currency && coupon.currency.toUpperCase() !== event.currency.toUpperCase()) {
    return {
      kind: "invalid",
      message: `This code is in ${coupon.currency.toUpperCase()}; these tickets are priced in ${event.currency.toUpperCase()}.`,
    };
  }
  const restricted = coupon.ticket_type_ids.length > 0;
  const covered = buyableTypes(event).filter((t) => !restricted || coupon.ticket_type_ids.includes(t.id));
  if (covered.length === 0) {
    return { kind: "invalid", message: "This code isn't valid for any ticket of this event." };
  }
  const amount = coupon.kind === "percent" ? `${coupon.amount}% off` : `${formatMoney(coupon.amount, coupon.currency ?? event.currency, locale)} off`;
  const summary = restricted ? `${amount} ${joinNames(covered.map((t) => t.name))} tickets` : amount;

  const subtotal = lines.reduce((sum, l) => sum + l.lineTotalMinor, 0);
  const applicable = lines
    .filter((l) => !restricted || coupon.ticket_type_ids.includes(l.ticketType.id))
    .reduce((sum, l) => sum + l.lineTotalMinor, 0);
  if (lines.length === 0) return { kind: "waiting", summary, message: "Select tickets to see your discount." };
  if (applicable === 0) {
    return { kind: "waiting", summary, message: `This code only applies to ${joinNames(covered.map((t) => t.name))} tickets.` };
  }
  if (subtotal < coupon.min_purchase_minor) {
    return {
      kind: "waiting",
      summary,
      message: `Spend ${money(coupon.min_purchase_minor)} or more to use this code (add ${money(coupon.min_purchase_minor - subtotal)}). It won't be applied to this order.`,
    };
  }
  const discountMinor =
    coupon.kind === "percent" ? Math.min(applicable, Math.floor((applicable * coupon.amount + 50) / 100)) : Math.min(applicable, coupon.amount);
  const expires = coupon.valid_until ? new Date(coupon.valid_until) : null;
  const soon = expires && expires.getTime() - now.getTime() < 48 * 3_600_000;
  return soon ? { kind: "applied", summary, discountMinor, note: "This code expires soon." } : { kind: "applied", summary, discountMinor };
}
