import type { SerializedError } from "@reduxjs/toolkit";
import { createApi, fetchBaseQuery, type FetchBaseQueryError } from "@reduxjs/toolkit/query/react";
import { problemMessage } from "../api/client";
import type { components, operations, paths } from "../api/schema";
import type { AuthState } from "../features/auth/authSlice";

export type EventPage = components["schemas"]["EventPage"];
export type EventSummary = components["schemas"]["EventSummary"];
export type ListEventsArgs = NonNullable<operations["events-list"]["parameters"]["query"]>;

// Paths are checked against the generated schema so a renamed route fails `tsc`.
const EVENTS_PATH = "/api/events" satisfies keyof paths;

/** Same origin as the page; absolute so it also works where `Request` needs a full URL (tests). */
const baseUrl = typeof window === "undefined" ? "" : window.location.origin;

export const api = createApi({
  reducerPath: "api",
  baseQuery: fetchBaseQuery({
    baseUrl,
    prepareHeaders(headers, { getState }) {
      const token = (getState() as { auth: AuthState }).auth.accessToken;
      if (token) headers.set("Authorization", `Bearer ${token}`);
      headers.set("Accept", "application/json, application/problem+json");
      return headers;
    },
  }),
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
