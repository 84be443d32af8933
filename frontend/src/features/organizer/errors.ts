import type { SerializedError } from "@reduxjs/toolkit";
import type { FetchBaseQueryError } from "@reduxjs/toolkit/query";
import type { ApiError } from "../../app/api";
import { describeError, type ErrorInfo } from "../auth/problems";

export type FieldErrors = Record<string, string[]>;

const RULE_KINDS = new Set(["time", "demand", "bounds"]);

/**
 * One spelling per field: the server's validation names the union member of a pricing rule
 * (`pricing_rules.0.time.until`), its own checks don't (`pricing_rules.0.until`).
 */
export function normalizeField(field: string): string {
  const parts = field.split(".");
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i]!;
    const previous = parts[i - 1];
    if (RULE_KINDS.has(part) && previous !== undefined && /^\d+$/.test(previous) && parts[i - 2] === "pricing_rules") continue;
    out.push(part);
  }
  return out.join(".");
}

/** Pydantic's "Value error, give exactly one..." reads better without its prefix. */
export function cleanMessage(message: string): string {
  const text = message.replace(/^(Value|Assertion) error, /, "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Our wording for the codes the organizer area meets; other codes keep the server's `detail`. */
const MESSAGES: Record<string, string> = {
  precondition_failed: "Someone else changed this event — reload to see their changes.",
  precondition_required:
    "Your change wasn't saved because the editor lost track of the event's version. Reload the event and try again.",
  event_incomplete: "The event isn't ready to publish yet:",
  event_in_past: "This event starts in the past. Move it to a future date before publishing.",
  event_has_sales:
    "Tickets for this event were sold or are being bought, so it can't be deleted. Cancel the event instead: ticket holders are refunded and notified.",
  ticket_type_has_sales:
    "People have bought or are buying this ticket type, so it can't be deleted. Hide it instead to stop selling it.",
  payload_too_large: "That image is too large. Choose a PNG, JPEG or WebP image of at most 5 MB.",
  unsupported_media_type: "That file isn't a PNG, JPEG or WebP image. Choose another file.",
  coupon_code_taken: "This code is already used by another coupon. Choose a different code.",
  event_closed: "This event is closed and can no longer be changed.",
  event_ended: "This event has ended and can no longer be changed.",
  currency_locked: "The currency can't change once tickets are sold or held.",
  already_cancelled: "This event is already cancelled.",
  validation_error: "Some fields need your attention.",
};

export interface ProblemDetails extends ErrorInfo {
  /** Field errors with normalized names and readable messages. */
  fields: FieldErrors;
}

export function describeProblem(error: ApiError | FetchBaseQueryError | SerializedError | undefined | null): ProblemDetails {
  const info = describeError(error);
  const fields: FieldErrors = {};
  for (const [field, messages] of Object.entries(info.fields)) {
    (fields[normalizeField(field)] ??= []).push(...messages.map(cleanMessage));
  }
  const own = info.code ? MESSAGES[info.code] : undefined;
  return { ...info, fields, message: own ?? info.message };
}

/**
 * Splits field errors into those a form shows next to an input (`known`, matched exactly or by
 * their first segment, e.g. `tags.2` -> `tags`) and the rest, as readable lines for the summary.
 */
export function placeFieldErrors(
  fields: FieldErrors,
  known: readonly string[],
  labels: Record<string, string> = {},
): { placed: FieldErrors; rest: string[] } {
  const placed: FieldErrors = {};
  const rest: string[] = [];
  for (const [field, messages] of Object.entries(fields)) {
    const target = known.includes(field) ? field : known.find((k) => field.startsWith(`${k}.`));
    if (target) (placed[target] ??= []).push(...messages);
    else rest.push(...messages.map((m) => `${labels[field] ?? humanize(field)}: ${m}`));
  }
  return { placed, rest };
}

export function humanize(field: string): string {
  if (field === "body" || field === "request" || field === "") return "Form";
  const text = field.replace(/\./g, " ").replace(/_/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Ticket types: add at least one visible ticket type" for each field error (e.g. a 409 event_incomplete). */
export function fieldLines(fields: FieldErrors, labels: Record<string, string> = {}): string[] {
  return Object.entries(fields).flatMap(([field, messages]) =>
    messages.map((m) => `${labels[field] ?? humanize(field)}: ${m.charAt(0).toLowerCase()}${m.slice(1)}`),
  );
}
