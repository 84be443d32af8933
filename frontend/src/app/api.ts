import type { SerializedError, ThunkDispatch, UnknownAction } from "@reduxjs/toolkit";
import {
  createApi,
  fetchBaseQuery,
  type BaseQueryFn,
  type FetchArgs,
  type FetchBaseQueryError,
  type FetchBaseQueryMeta,
} from "@reduxjs/toolkit/query/react";
import { problemMessage } from "../api/client";
import type { components, operations, paths } from "../api/schema";
import type { AuthState } from "../features/auth/authSlice";
import { REFRESH_PATH, refreshSession } from "../features/auth/refresh";

export type EventPage = components["schemas"]["EventPage"];
export type EventSummary = components["schemas"]["EventSummary"];
export type ListEventsArgs = NonNullable<operations["events-list"]["parameters"]["query"]>;

// Paths are checked against the generated schema so a renamed route fails `tsc`.
const EVENTS_PATH = "/api/events" satisfies keyof paths;

/** Same origin as the page; absolute so it also works where `Request` needs a full URL (tests). */
const baseUrl = typeof window === "undefined" ? "" : window.location.origin;

const rawBaseQuery = fetchBaseQuery({
  baseUrl,
  credentials: "same-origin",
  prepareHeaders(headers, { getState }) {
    const token = (getState() as { auth: AuthState }).auth.accessToken;
    if (token) headers.set("Authorization", `Bearer ${token}`);
    headers.set("Accept", "application/json, application/problem+json");
    return headers;
  },
});

type AuthDispatch = ThunkDispatch<{ auth: AuthState }, unknown, UnknownAction>;

/** An RTK Query error, plus the `Retry-After` header of 429 answers (in seconds). */
export type ApiError = FetchBaseQueryError & { retryAfterSeconds?: number };

// A 401 from these means "wrong credentials" or "no session", never "token expired".
const NO_REFRESH_PATHS = new Set<string>([
  "/api/auth/login" satisfies keyof paths,
  REFRESH_PATH,
  "/api/auth/logout" satisfies keyof paths,
]);

/**
 * Adds the bearer token; on a 401 refreshes the session once (single-flight, shared with every
 * other caller) and retries the request once with the new token.
 */
const baseQuery: BaseQueryFn<string | FetchArgs, unknown, ApiError, object, FetchBaseQueryMeta> = async (
  args,
  queryApi,
  extraOptions,
) => {
  const tokenOf = () => (queryApi.getState() as { auth: AuthState }).auth.accessToken;
  const tokenSent = tokenOf();
  let result = await rawBaseQuery(args, queryApi, extraOptions);

  const path = typeof args === "string" ? args : args.url;
  if (result.error?.status === 401 && tokenSent !== null && !NO_REFRESH_PATHS.has(path.split("?")[0] ?? path)) {
    // Someone else may already have refreshed while this request was in flight.
    const fresh = tokenOf();
    const renewed =
      fresh !== null && fresh !== tokenSent ? true : (await (queryApi.dispatch as AuthDispatch)(refreshSession())).ok;
    if (renewed) result = await rawBaseQuery(args, queryApi, extraOptions);
  }

  if (result.error) {
    const retryAfter = Number(result.meta?.response?.headers.get("Retry-After"));
    if (Number.isFinite(retryAfter) && retryAfter > 0) {
      return { ...result, error: { ...result.error, retryAfterSeconds: retryAfter } };
    }
  }
  return result;
};

export const api = createApi({
  reducerPath: "api",
  baseQuery,
  tagTypes: ["Event"],
  endpoints: (build) => ({
    listEvents: build.query<EventPage, ListEventsArgs | void>({
      query: (args) => ({ url: EVENTS_PATH, params: withoutEmpty(args ?? {}) }),
      providesTags: (page) => [
        { type: "Event" as const, id: "LIST" },
        ...(page?.items ?? []).map((e) => ({ type: "Event" as const, id: e.id })),
      ],
    }),
  }),
});

export const { useListEventsQuery } = api;

function withoutEmpty(params: ListEventsArgs): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") out[key] = value;
  }
  return out;
}

/** A friendly sentence for any RTK Query error (HTTP problem+json, network failure, bad JSON). */
export function queryErrorMessage(error: FetchBaseQueryError | SerializedError | undefined): string {
  if (!error) return "Something went wrong. Please try again.";
  if ("status" in error) {
    if (typeof error.status === "number") return problemMessage(error.data, error.status);
    if (error.status === "FETCH_ERROR" || error.status === "TIMEOUT_ERROR") {
      return "We couldn't reach Boxoffice. Check your connection and try again.";
    }
    if (error.status === "PARSING_ERROR") {
      return problemMessage(undefined, error.originalStatus);
    }
    return "Something went wrong. Please try again.";
  }
  return error.message ?? "Something went wrong. Please try again.";
}
