import type { SerializedError } from "@reduxjs/toolkit";
import type { FetchBaseQueryError } from "@reduxjs/toolkit/query";
import type { ApiError } from "../../app/api";
import { describeError, retryIn, type ErrorInfo } from "../auth/problems";

/** Where a problem belongs on the page, so the message can sit next to what it is about. */
export type ProblemPlace = "coupon" | "tickets" | "payment" | "page";

export interface CheckoutProblem extends ErrorInfo {
  place: ProblemPlace;
  /** A short heading for the alert. */
  title: string;
  /** The event's availability changed: reload it. */
  refreshEvent: boolean;
  /** The booking changed state on the server: reload it. */
  refreshBooking: boolean;
}

type Wording = {
  title: string;
  /** Our sentence; `detail` is the server's, used where it names the ticket type or limit. */
  message: (detail: string | undefined, retryAfter: number | undefined) => string;
  place: ProblemPlace;
  refreshEvent?: boolean;
  refreshBooking?: boolean;
};

const CODES: Record<string, Wording> = {
  // Booking: availability and sales windows.
  sold_out: {
    title: "Sold out",
    message: (d) => `${d && d !== "Sold out." ? d : "These tickets just sold out."} We've updated what's still available.`,
    place: "tickets",
    refreshEvent: true,
  },
  insufficient_inventory: {
    title: "Not enough tickets left",
    message: (d) => `${d ?? "There aren't enough tickets left for that quantity."} Lower the quantity and try again.`,
    place: "tickets",
    refreshEvent: true,
  },
  sales_not_started: {
    title: "Not on sale yet",
    message: () => "Sales for one of these tickets haven't started yet. Check the \u201con sale from\u201d date.",
    place: "tickets",
    refreshEvent: true,
  },
  sales_ended: {
    title: "Sales have ended",
    message: (d) => d ?? "Sales for one of these tickets have ended.",
    place: "tickets",
    refreshEvent: true,
  },
  order_limit: {
    title: "Check the quantity",
    message: (d) => d ?? "That quantity is outside what you can book in one order.",
    place: "tickets",
    refreshEvent: true,
  },
  ticket_type_not_found: {
    title: "Ticket no longer offered",
    message: () => "One of these ticket types is no longer offered. We've refreshed the list.",
    place: "tickets",
    refreshEvent: true,
  },
  mixed_currency: {
    title: "Book these separately",
    message: () => "These tickets are priced in different currencies. Book them in separate orders.",
    place: "tickets",
  },
  event_not_on_sale: {
    title: "Not on sale",
    message: () => "This event isn't on sale right now.",
    place: "page",
    refreshEvent: true,
  },
  event_over: {
    title: "This event is over",
    message: () => "This event has already taken place, so tickets can no longer be booked.",
    place: "page",
    refreshEvent: true,
  },
  email_not_verified: {
    title: "Confirm your email first",
    message: () => "Confirm your email address before booking paid tickets. We can resend the link from your account page.",
    place: "page",
  },
  idempotency_key_reused: {
    title: "Your order changed",
    message: () => "Your order changed while we were placing it. Check your tickets and press Book again.",
    place: "page",
  },
  // Coupons.
  coupon_not_found: { title: "Unknown code", message: () => "We don't recognise this code. Check the spelling.", place: "coupon" },
  coupon_not_applicable: {
    title: "Code not valid here",
    message: (d) => d ?? "This code can't be used for these tickets.",
    place: "coupon",
  },
  coupon_expired: { title: "Code expired", message: () => "This code has expired.", place: "coupon" },
  coupon_exhausted: { title: "Code used up", message: () => "This code has been used up.", place: "coupon" },
  coupon_user_limit: {
    title: "Code already used",
    message: () => "You've already used this code as many times as it allows.",
    place: "coupon",
  },
  coupon_min_purchase: {
    title: "Order too small for this code",
    message: () => "Your order is below this code's minimum purchase. Add tickets or remove the code.",
    place: "coupon",
  },
  // Paying.
  payment_failed: {
    title: "Your card was declined",
    message: () => "Your card was declined. Check the number or try another card. You haven't been charged.",
    place: "payment",
  },
  payment_processing: {
    title: "Still processing",
    message: () => "Your payment is still being processed. This can take a few seconds: try again in a moment.",
    place: "payment",
  },
  payment_requires_payment: {
    title: "Payment not completed",
    message: () => "We haven't received your payment yet. Enter your card details and pay to confirm.",
    place: "payment",
  },
  payment_required: {
    title: "Payment not completed",
    message: () => "We haven't received your payment yet. Enter your card details and pay to confirm.",
    place: "payment",
  },
  seats_gone_refunding: {
    title: "Your hold expired",
    message: () =>
      "Your payment arrived after your hold expired, and the tickets sold out in the meantime. We're refunding your payment in full: it's on its way back to your card.",
    place: "page",
    refreshBooking: true,
  },
  booking_cancelled_refunding: {
    title: "This booking was cancelled",
    message: () =>
      "The booking was cancelled before your payment arrived. We're refunding your payment in full: it's on its way back to your card.",
    place: "page",
    refreshBooking: true,
  },
  payment_mismatch: {
    title: "We need to check this payment",
    message: () =>
      "The payment amount doesn't match your booking, so we couldn't confirm it automatically. The organizer has been alerted and will sort it out; you don't need to pay again.",
    place: "page",
    refreshBooking: true,
  },
  invalid_transition: {
    title: "This booking has changed",
    message: (d) => d ?? "This booking can no longer be changed that way.",
    place: "page",
    refreshBooking: true,
  },
  nothing_to_pay: { title: "Nothing to pay", message: () => "This booking is free: just confirm it.", place: "payment", refreshBooking: true },
  mock_payments_disabled: {
    title: "Demo payments are off",
    message: () => "Demo payments are switched off on this server. Reload the page to pay for real.",
    place: "payment",
  },
  refund_not_allowed: {
    title: "Can't cancel online",
    message: (d) => d ?? "This booking can no longer be refunded online. Contact the organizer.",
    place: "page",
  },
  booking_not_found: { title: "Booking not found", message: () => "We couldn't find this booking.", place: "page" },
  service_unavailable: {
    title: "Very busy right now",
    message: (d, s) => `${d ?? "We're very busy right now."} ${retryIn(s ?? 5)}`,
    place: "page",
  },
  rate_limited: { title: "Slow down a little", message: (_d, s) => `Too many attempts. ${retryIn(s)}`, place: "page" },
};

/** A problem+json answer from the booking, payment or coupon endpoints, worded for the buyer. */
export function describeCheckoutError(error: ApiError | FetchBaseQueryError | SerializedError | undefined): CheckoutProblem {
  const info = describeError(error);
  const detail = detailOf(error);
  const wording = info.code ? CODES[info.code] : undefined;
  if (wording) {
    return {
      ...info,
      title: wording.title,
      message: wording.message(detail, info.retryAfterSeconds),
      place: wording.place,
      refreshEvent: wording.refreshEvent ?? false,
      refreshBooking: wording.refreshBooking ?? false,
    };
  }
  const title = info.status === 503 ? "Very busy right now" : info.status && info.status >= 500 ? "Something went wrong" : "That didn't work";
  return { ...info, title, place: "page", refreshEvent: false, refreshBooking: false };
}

function detailOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("data" in error)) return undefined;
  const data = (error as { data: unknown }).data;
  if (typeof data !== "object" || data === null) return undefined;
  const detail = (data as { detail?: unknown }).detail;
  return typeof detail === "string" && detail.trim() ? detail.trim() : undefined;
}
