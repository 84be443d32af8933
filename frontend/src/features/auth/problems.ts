import type { SerializedError } from "@reduxjs/toolkit";
import type { FetchBaseQueryError } from "@reduxjs/toolkit/query";
import type { ApiError } from "../../app/api";
import { isProblem, problemMessage } from "../../api/client";

export interface ErrorInfo {
  status: number | undefined;
  /** The problem+json `code`, e.g. `invalid_credentials`. */
  code: string | undefined;
  /** A sentence for the form's alert. */
  message: string;
  /** Field errors by field name (`password`, `new_password`, `email`, ...). */
  fields: Record<string, string[]>;
  retryAfterSeconds: number | undefined;
}

/** "Try again in 15 minutes" from a Retry-After of seconds. */
export function retryIn(seconds: number | undefined): string {
  if (!seconds || seconds <= 0) return "Try again in a few minutes.";
  if (seconds < 60) return `Try again in ${Math.ceil(seconds)} ${Math.ceil(seconds) === 1 ? "second" : "seconds"}.`;
  const minutes = Math.ceil(seconds / 60);
  return `Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

/**
 * Our own wording for codes whose server text is technical or needs more context. Other codes
 * keep the server's `detail`, which is written for people.
 */
const MESSAGES: Record<string, (retryAfter: number | undefined) => string> = {
  rate_limited: (s) => `Too many attempts. ${retryIn(s)}`,
  account_locked: (s) =>
    `Too many failed sign-in attempts for this account. ${retryIn(s)} You can also reset your password.`,
  weak_password: () => "Choose a stronger password: see the requirements below the field.",
  validation_error: () => "Some fields need your attention.",
  invalid_token: () => "This link is invalid, was already used or has expired. Please request a new one.",
  invalid_refresh_token: () => "Your session has ended. Please sign in again.",
  token_expired: () => "Your session has ended. Please sign in again.",
  session_revoked: () => "You were signed out on this device. Please sign in again.",
  refresh_token_reused: () =>
    "For your safety we signed you out: this sign-in was used from somewhere else. Please sign in again.",
  account_disabled: () => "This account is disabled. Contact the Boxoffice team if you think this is a mistake.",
  csrf_failed: () => "A security check failed. Reload the page and try again.",
  last_admin: () =>
    "Boxoffice needs at least one active admin. Make someone else an admin before changing this account.",
  outbox_disabled: () => "Emails are delivered to your real inbox on this server.",
  oauth_provider_disabled: () => "That sign-in provider is not available right now.",
  forbidden: () => "You don't have permission to do that.",
  internal_error: () => "Something went wrong on our side. Please try again in a moment.",
};

type AnyError = ApiError | FetchBaseQueryError | SerializedError | undefined | null;

export function describeError(error: AnyError): ErrorInfo {
  const info: ErrorInfo = {
    status: undefined,
    code: undefined,
    message: "Something went wrong. Please try again.",
    fields: {},
    retryAfterSeconds: undefined,
  };
  if (!error) return info;
  if (!("status" in error)) {
    info.message = error.message ?? info.message;
    return info;
  }
  if (error.status === "FETCH_ERROR" || error.status === "TIMEOUT_ERROR") {
    info.message = "We couldn't reach Boxoffice. Check your connection and try again.";
    return info;
  }
  if (typeof error.status !== "number") {
    info.status = error.status === "PARSING_ERROR" ? error.originalStatus : undefined;
    info.message = problemMessage(undefined, info.status);
    return info;
  }

  info.status = error.status;
  info.retryAfterSeconds = "retryAfterSeconds" in error ? error.retryAfterSeconds : undefined;
  const body = error.data;
  if (!isProblem(body)) {
    info.message = problemMessage(body, error.status);
    return info;
  }
  info.code = body.code;
  for (const { field, message } of body.errors ?? []) {
    (info.fields[field] ??= []).push(message);
  }
  const own = MESSAGES[body.code];
  info.message = own ? own(info.retryAfterSeconds) : body.detail?.trim() || body.title;
  return info;
}

/** Friendly text for `/login?oauth_error=<code>` after a provider round trip. */
export function oauthErrorMessage(code: string): string {
  switch (code) {
    case "oauth_state_mismatch":
      return "That sign-in expired or was started in another browser. Please try again.";
    case "oauth_cancelled":
      return "Sign-in was cancelled at the provider. Try again, or use your email and password.";
    case "oauth_email_unverified":
      return "The provider has not verified this email address. Sign in with your password first; you can use the provider afterwards.";
    case "oauth_email_required":
      return "The provider did not share your email address. Allow access to your email, or sign in with your email and password.";
    case "oauth_exchange_failed":
      return "We couldn't complete the sign-in with the provider. Please try again in a moment.";
    case "account_disabled":
      return "This account is disabled. Contact the Boxoffice team if you think this is a mistake.";
    default:
      return "Signing in with the provider didn't work. Please try again, or use your email and password.";
  }
}
