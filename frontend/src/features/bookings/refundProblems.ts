import type { SerializedError } from "@reduxjs/toolkit";
import type { FetchBaseQueryError } from "@reduxjs/toolkit/query";
import type { ApiError } from "../../app/api";
import { describeError } from "../auth/problems";

export interface RefundProblem {
  /** A short heading for the alert. */
  title: string;
  message: string;
  code: string | undefined;
}

/** Our wording for what `POST /bookings/{id}/refunds` can refuse; `detail` is the server's sentence. */
const CODES: Record<string, { title: string; message: (detail: string | undefined) => string }> = {
  refund_not_allowed: {
    title: "Can't refund online",
    message: (d) => d ?? "The refund deadline for this event has passed. Contact the organizer.",
  },
  ticket_already_refunded: {
    title: "Already refunded",
    message: () => "Some of these tickets were already refunded. We've refreshed the tickets: choose again if needed.",
  },
  ticket_checked_in: {
    title: "Ticket already used",
    message: () => "Tickets scanned at the door can't be refunded online. Contact the organizer.",
  },
  ticket_not_in_booking: {
    title: "Ticket not in this booking",
    message: () => "One of these tickets isn't part of this booking any more. Reload the page and choose again.",
  },
  ticket_changed: {
    title: "Tickets changed",
    message: () => "These tickets changed a moment ago. We've refreshed them: try again.",
  },
  invalid_transition: {
    title: "Booking changed",
    message: (d) => `${d ?? "This booking can no longer be refunded."} Reload the page to see its current state.`,
  },
  booking_not_found: {
    title: "Booking not found",
    message: () => "We couldn't find this booking. It may belong to another account.",
  },
  validation_error: {
    title: "Choose tickets",
    message: () => "Choose at least one ticket to refund.",
  },
};

export function describeRefundError(error: ApiError | FetchBaseQueryError | SerializedError | undefined | null): RefundProblem {
  const info = describeError(error);
  const known = info.code ? CODES[info.code] : undefined;
  if (known) {
    const detail = error && "data" in error ? (error.data as { detail?: unknown } | undefined)?.detail : undefined;
    return { title: known.title, message: known.message(typeof detail === "string" ? detail : undefined), code: info.code };
  }
  return { title: "Couldn't refund the tickets", message: info.message, code: info.code };
}
