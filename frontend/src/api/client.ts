import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

export type Problem = components["schemas"]["Problem"];
export type FieldError = NonNullable<Problem["errors"]>[number];

/**
 * Typed client for one-off calls (forms, actions). Cached reads go through RTK Query in
 * `src/app/api.ts`. The API is served under `/api` on the same origin, hence the empty base URL.
 */
export const apiClient = createClient<paths>({ baseUrl: "" });

let tokenSource: () => string | null = () => null;

/** Lets the store hand its current access token to `apiClient` without an import cycle. */
export function setAccessTokenSource(source: () => string | null): void {
  tokenSource = source;
}

apiClient.use({
  onRequest({ request }) {
    const token = tokenSource();
    if (token && !request.headers.has("Authorization")) {
      request.headers.set("Authorization", `Bearer ${token}`);
    }
    return request;
  },
});

export function isProblem(body: unknown): body is Problem {
  if (typeof body !== "object" || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return typeof candidate.title === "string" && typeof candidate.status === "number";
}

const FALLBACK_BY_STATUS: Record<number, string> = {
  400: "That request didn't look right. Please check and try again.",
  401: "Please sign in to continue.",
  403: "You don't have permission to do that.",
  404: "We couldn't find what you were looking for.",
  409: "That conflicts with a recent change. Please refresh and try again.",
  429: "Too many requests. Please wait a moment and try again.",
};

/**
 * Turns an error response body (RFC 9457 problem+json, or anything else) into a sentence a
 * person can act on. Field errors are listed after the main message.
 */
export function problemMessage(body: unknown, status?: number): string {
  if (isProblem(body)) {
    const main = body.detail?.trim() || body.title;
    const fields = (body.errors ?? []).map((e) => `${e.field}: ${e.message}`);
    return fields.length > 0 ? `${main} (${fields.join("; ")})` : main;
  }
  const code = status ?? (isProblemLikeStatus(body) ? body.status : undefined);
  if (code !== undefined) {
    const known = FALLBACK_BY_STATUS[code];
    if (known) return known;
    if (code >= 500) return "Something went wrong on our side. Please try again in a moment.";
  }
  return "Something went wrong. Please try again.";
}

function isProblemLikeStatus(body: unknown): body is { status: number } {
  return typeof body === "object" && body !== null && typeof (body as { status?: unknown }).status === "number";
}
