import type { SerializedError } from "@reduxjs/toolkit";
import type { FetchBaseQueryError } from "@reduxjs/toolkit/query";
import { isProblem } from "../../api/client";
import { retryIn } from "../auth/problems";
import type { CheckInResult, DoorTicket } from "./doorApi";
import { CODE_MAX_LENGTH, CODE_MIN_LENGTH } from "./doorApi";

export type ScanMode = "checkin" | "lookup";

/**
 * - admitted: let them in (green);
 * - refused: the server looked at the ticket and said no (red);
 * - unknown: we could not get an answer, nothing is known about the ticket (amber);
 * - info: a look-up of a ticket that would be admitted (blue).
 */
export type OutcomeTone = "admitted" | "refused" | "unknown" | "info";

export interface Outcome {
  tone: OutcomeTone;
  /** One or two words, shown huge: "Admitted", "Already checked in". */
  headline: string;
  /** Who: the attendee's name. */
  name?: string | undefined;
  /** What: the ticket type. */
  ticketType?: string | undefined;
  /** Why, in a sentence (the server's `detail` for refusals). */
  detail?: string | undefined;
  /** What a screen reader says, assertively. */
  announcement: string;
}

type AnyError = FetchBaseQueryError | SerializedError | undefined;

/** Null when `code` could be a ticket; otherwise why it cannot (no request is worth sending). */
export function codeShapeProblem(code: string): string | null {
  if (code.length === 0) return "Enter the ticket code.";
  if (code.length < CODE_MIN_LENGTH || code.length > CODE_MAX_LENGTH) return "This is not a Boxoffice ticket code.";
  return null;
}

/** A refusal for a code that is not even shaped like one of our tickets. */
export function notATicket(): Outcome {
  return refused("Not a valid ticket", "This QR code is not a Boxoffice ticket.");
}

export function admitted(result: CheckInResult): Outcome {
  const name = attendeeName(result.ticket);
  return {
    tone: "admitted",
    headline: "Admitted",
    name,
    ticketType: result.ticket.ticket_type_name,
    announcement: `Admitted. ${name}, ${result.ticket.ticket_type_name}.`,
  };
}

/** A look-up's answer for the door of `doorEventId`. */
export function lookedUp(ticket: DoorTicket, doorEventId: string): Outcome {
  const name = attendeeName(ticket);
  const who = { name, ticketType: ticket.ticket_type_name };
  if (ticket.event_id !== doorEventId) {
    const detail = `This ticket is for another event: ${ticket.event_title}.`;
    return { tone: "refused", headline: "Wrong event", ...who, detail, announcement: `Wrong event. ${detail}` };
  }
  if (ticket.status === "void") {
    const detail = "This ticket was refunded or cancelled and is not valid.";
    return { tone: "refused", headline: "Ticket void", ...who, detail, announcement: `Ticket void. ${name}. ${detail}` };
  }
  if (ticket.status === "checked_in") {
    const at = ticket.checked_in_at ? ` at ${clockTime(ticket.checked_in_at, ticket.event_timezone)}` : "";
    const detail = `Checked in${at} by ${ticket.checked_in_by_name || "someone"}.`;
    return { tone: "refused", headline: "Already checked in", ...who, detail, announcement: `Already checked in. ${name}. ${detail}` };
  }
  const detail = "Valid and not checked in yet. Nothing was changed.";
  return { tone: "info", headline: "Valid ticket", ...who, detail, announcement: `Valid ticket, not checked in. ${name}, ${ticket.ticket_type_name}.` };
}

const REFUSALS: Record<string, { headline: string; fallback: string; hint?: string }> = {
  already_checked_in: { headline: "Already checked in", fallback: "This ticket was already used." },
  ticket_void: { headline: "Ticket void", fallback: "This ticket is not valid." },
  wrong_event: { headline: "Wrong event", fallback: "This ticket is for another event." },
  invalid_ticket: { headline: "Not a valid ticket", fallback: "This is not a valid Boxoffice ticket." },
  not_door_staff: {
    headline: "Not on the door list",
    fallback: "You are not on the door list for this ticket's event.",
    hint: "If the ticket is for this event, ask the organizer to add you to the door list.",
  },
};

/** What went wrong with a check-in or look-up, for the door staff. */
export function failed(error: AnyError, mode: ScanMode): Outcome {
  const notDone = mode === "checkin" ? "This ticket was NOT checked in." : "The ticket was not looked up.";
  if (!error || !("status" in error)) {
    return unknown("Not checked", `Something went wrong. ${notDone} Try again.`);
  }
  if (error.status === "FETCH_ERROR") {
    return unknown("No connection", `We couldn't reach Boxoffice. ${notDone} Check the phone's Wi-Fi or mobile data, then scan again.`);
  }
  if (error.status === "TIMEOUT_ERROR") {
    return unknown(
      "No answer",
      mode === "checkin"
        ? "Boxoffice didn't answer in time, so we don't know if this ticket was checked in. Scan it again: if it went through, you'll see “Already checked in” with your name."
        : "Boxoffice didn't answer in time. Try again.",
    );
  }
  if (typeof error.status !== "number") {
    return unknown("Not checked", `Boxoffice sent an answer we couldn't read. ${notDone} Try again.`);
  }

  const body = error.data;
  const code = isProblem(body) ? body.code : undefined;
  const serverDetail = isProblem(body) ? body.detail?.trim() || undefined : undefined;
  const known = code ? REFUSALS[code] : undefined;
  if (known) {
    const detail = [serverDetail ?? known.fallback, known.hint].filter(Boolean).join(" ");
    return refused(known.headline, detail);
  }
  switch (error.status) {
    case 401:
      return unknown("Signed out", `Your session has ended. ${notDone} Sign in again to keep scanning.`);
    case 403:
      return refused("Not allowed", serverDetail ?? "You may not check tickets for this event.");
    case 400:
    case 404:
    case 422:
      return refused("Not a valid ticket", "This is not a valid Boxoffice ticket.");
    case 409:
      return refused("Refused", serverDetail ?? "This ticket can't be used.");
    case 429: {
      const seconds = "retryAfterSeconds" in error ? (error as { retryAfterSeconds?: number }).retryAfterSeconds : undefined;
      return unknown("Too many scans", `${notDone} ${retryIn(seconds)}`);
    }
    default:
      return unknown("Not checked", `Something went wrong on our side. ${notDone} Try again in a moment.`);
  }
}

function refused(headline: string, detail: string): Outcome {
  return { tone: "refused", headline, detail, announcement: `${headline}. ${detail}` };
}

function unknown(headline: string, detail: string): Outcome {
  return { tone: "unknown", headline, detail, announcement: `${headline}. ${detail}` };
}

function attendeeName(ticket: DoorTicket): string {
  return ticket.attendee_name.trim() || "Guest";
}

/** "21:04" in the event's timezone. */
export function clockTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const options: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(date);
  }
}

/** Vibration patterns (ms): one short buzz for yes, three for no. */
export const VIBRATION: Record<OutcomeTone, number[]> = {
  admitted: [120],
  info: [60],
  refused: [90, 60, 90, 60, 250],
  unknown: [250, 100, 250],
};
