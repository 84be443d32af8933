import { api } from "../../app/api";
import type { components, paths } from "../../api/schema";

type Schemas = components["schemas"];
export type DoorEvent = Schemas["DoorEvent"];
export type CheckInResult = Schemas["CheckInResult"];
export type CheckInSummary = Schemas["CheckInSummary"];
export type DoorTicket = Schemas["TicketRead"];
export type ValidateRequest = Schemas["ValidateRequest"];

// Paths are checked against the generated schema so a renamed route fails `tsc`.
const PATHS = {
  doors: "/api/tickets/doors",
  validate: "/api/tickets/validate",
  lookup: "/api/tickets/lookup",
  summary: "/api/events/{event_id}/checkins/summary",
} as const satisfies Record<string, keyof paths>;

/**
 * A door check must answer quickly or say it could not: a scan that hangs on a bad network is
 * worse than a clear "no answer" the staff can act on.
 */
export const DOOR_REQUEST_TIMEOUT_MS = 8_000;

/** The server's bounds for a ticket code (`ValidateRequest.code`). */
export const CODE_MIN_LENGTH = 10;
export const CODE_MAX_LENGTH = 300;

function summaryPath(eventId: string): string {
  return PATHS.summary.replace("{event_id}", encodeURIComponent(eventId));
}

export const doorApi = api.enhanceEndpoints({ addTagTypes: ["DoorSummary"] }).injectEndpoints({
  endpoints: (build) => ({
    /** Upcoming events I may check tickets in for. */
    myDoors: build.query<DoorEvent[], void>({
      query: () => PATHS.doors,
    }),

    checkinSummary: build.query<CheckInSummary, string>({
      query: (eventId) => ({ url: summaryPath(eventId), timeout: DOOR_REQUEST_TIMEOUT_MS }),
      providesTags: (_summary, _error, eventId) => [{ type: "DoorSummary", id: eventId }],
    }),

    validateTicket: build.mutation<CheckInResult, ValidateRequest & { event_id: string }>({
      query: (body) => ({ url: PATHS.validate, method: "POST", body, timeout: DOOR_REQUEST_TIMEOUT_MS }),
      // The answer carries the fresh counts: show them at once, then re-read (other doors scan too).
      async onQueryStarted({ event_id }, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(
            doorApi.util.upsertQueryData("checkinSummary", event_id, {
              event_id,
              checked_in: data.checked_in,
              sold: data.sold,
            }),
          );
        } catch {
          // The page shows the refusal; the counter keeps its last value.
        }
      },
      invalidatesTags: (result, _error, { event_id }) => (result ? [{ type: "DoorSummary", id: event_id }] : []),
    }),

    /** A ticket's state without checking it in. A mutation: every look-up must really ask. */
    lookupTicket: build.mutation<DoorTicket, string>({
      query: (code) => ({ url: PATHS.lookup, params: { code }, timeout: DOOR_REQUEST_TIMEOUT_MS }),
    }),
  }),
});

export const { useMyDoorsQuery, useCheckinSummaryQuery, useValidateTicketMutation, useLookupTicketMutation } = doorApi;
