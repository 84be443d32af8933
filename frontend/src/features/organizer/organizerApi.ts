import { api, type ApiError } from "../../app/api";
import type { components, operations, paths } from "../../api/schema";

export type EventRead = components["schemas"]["EventRead"];
export type EventCreate = components["schemas"]["EventCreate"];
export type EventUpdate = components["schemas"]["EventUpdate"];
export type EventStatus = components["schemas"]["EventStatus"];
export type EventVisibility = components["schemas"]["EventVisibility"];
export type MyEventSummary = components["schemas"]["MyEventSummary"];
export type MyEventPage = components["schemas"]["MyEventPage"];
export type TicketTypeRead = components["schemas"]["TicketTypeRead"];
export type TicketTypeCreate = components["schemas"]["TicketTypeCreate"];
export type TicketTypeUpdate = components["schemas"]["TicketTypeUpdate"];
export type PricingRule = NonNullable<TicketTypeCreate["pricing_rules"]>[number];
export type TimeRule = components["schemas"]["TimeRule"];
export type DemandRule = components["schemas"]["DemandRule"];
export type BoundsRule = components["schemas"]["BoundsRule"];
export type BookingRead = components["schemas"]["BookingRead"];
export type BookingPage = components["schemas"]["BookingPage"];
export type BookingStatus = components["schemas"]["BookingStatus"];
export type CouponRead = components["schemas"]["CouponRead"];
export type CouponCreate = components["schemas"]["CouponCreate"];
export type CouponUpdate = components["schemas"]["CouponUpdate"];
type EventBookingsQuery = NonNullable<operations["bookings-for-event"]["parameters"]["query"]>;

export type CancellationProgress = components["schemas"]["CancellationProgress"];
export type CheckinSummary = components["schemas"]["CheckInSummary"];

// Paths are checked against the generated schema, so a renamed route fails `tsc`.
const EVENTS = "/api/events" satisfies keyof paths;
const MY_EVENTS = "/api/events/my/events" satisfies keyof paths;
const EVENT_BY_REF = "/api/events/{id_or_slug}" satisfies keyof paths;
const EVENT = "/api/events/{event_id}" satisfies keyof paths;
const PUBLISH = "/api/events/{event_id}/publish" satisfies keyof paths;
const CANCEL = "/api/events/{event_id}/cancel" satisfies keyof paths;
const COVER = "/api/events/{event_id}/cover" satisfies keyof paths;
const TICKET_TYPES = "/api/events/{event_id}/ticket-types" satisfies keyof paths;
const TICKET_TYPE = "/api/events/{event_id}/ticket-types/{ticket_type_id}" satisfies keyof paths;
const EVENT_BOOKINGS = "/api/bookings/event/{event_id}/bookings" satisfies keyof paths;
const EVENT_BOOKINGS_CSV = "/api/bookings/event/{event_id}/bookings.csv" satisfies keyof paths;
const BOOKING = "/api/bookings/{booking_id}" satisfies keyof paths;
const COUPONS = "/api/coupons" satisfies keyof paths;
const COUPON = "/api/coupons/{coupon_id}" satisfies keyof paths;
const CANCELLATION = "/api/events/{event_id}/cancellation" satisfies keyof paths;
const CHECKINS = "/api/events/{event_id}/checkins/summary" satisfies keyof paths;

export const MY_EVENTS_PAGE_SIZE = 50;
export const BOOKINGS_PAGE_SIZE = 50;
/** Sales figures page through at most this many confirmed bookings (200 a page). */
export const SALES_MAX_PAGES = 10;

/** Fills `{name}` placeholders of a path template. */
export function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""));
}

/** An event as the editor holds it: the body, and the ETag to send back as `If-Match`. */
export interface EditableEvent {
  event: EventRead;
  etag: string;
}

/** The server's ETag is the quoted version; fall back to it if a proxy dropped the header. */
function etagOf(meta: { response?: Response } | undefined, version: number | undefined): string {
  return meta?.response?.headers.get("ETag") ?? `"${version ?? 0}"`;
}

const toEditable = (event: EventRead, meta: { response?: Response } | undefined): EditableEvent => ({
  event,
  etag: etagOf(meta, event.version),
});

export interface SalesData {
  bookings: BookingRead[];
  /** How many confirmed bookings the event has. */
  total: number;
  /** False when there were more than {@link SALES_MAX_PAGES} pages. */
  complete: boolean;
}

export type EventBookingFilters = { eventId: string } & Pick<EventBookingsQuery, "status" | "q">;

const listTags = ["MyEvents", { type: "Event", id: "LIST" }] as const;

export const organizerApi = api
  .enhanceEndpoints({ addTagTypes: ["OrganizerEvent", "MyEvents", "EventBookings", "Coupons", "AdminBookings", "Cancellation"] })
  .injectEndpoints({
    endpoints: (build) => ({
      orgMyEvents: build.infiniteQuery<MyEventPage, { status?: EventStatus | null }, string | null>({
        infiniteQueryOptions: {
          initialPageParam: null,
          getNextPageParam: (lastPage) => lastPage.next_cursor,
        },
        query: ({ queryArg, pageParam }) => ({
          url: MY_EVENTS,
          params: {
            sort: "date",
            limit: MY_EVENTS_PAGE_SIZE,
            ...(queryArg.status ? { status: queryArg.status } : {}),
            ...(pageParam ? { cursor: pageParam } : {}),
          },
        }),
        providesTags: ["MyEvents"],
      }),

      orgEvent: build.query<EditableEvent, string>({
        query: (id) => ({ url: fill(EVENT_BY_REF, { id_or_slug: id }), cache: "no-store" }),
        transformResponse: (event: EventRead, meta) => toEditable(event, meta),
        providesTags: (_result, _error, id) => [{ type: "OrganizerEvent", id }],
      }),

      orgCreateEvent: build.mutation<EditableEvent, EventCreate>({
        query: (body) => ({ url: EVENTS, method: "POST", body }),
        transformResponse: (event: EventRead, meta) => toEditable(event, meta),
        invalidatesTags: [...listTags],
        async onQueryStarted(_arg, { dispatch, queryFulfilled }) {
          const { data } = await queryFulfilled.catch(() => ({ data: null }));
          if (data) void dispatch(organizerApi.util.upsertQueryData("orgEvent", data.event.id, data));
        },
      }),

      orgUpdateEvent: build.mutation<EditableEvent, { id: string; etag: string; body: EventUpdate }>({
        query: ({ id, etag, body }) => ({ url: fill(EVENT, { event_id: id }), method: "PUT", body, headers: { "If-Match": etag } }),
        transformResponse: (event: EventRead, meta) => toEditable(event, meta),
        invalidatesTags: [...listTags],
        onQueryStarted: (arg, { dispatch, queryFulfilled }) => storeEvent(arg.id, dispatch, queryFulfilled),
      }),

      orgPublishEvent: build.mutation<EditableEvent, { id: string; etag: string }>({
        query: ({ id, etag }) => ({ url: fill(PUBLISH, { event_id: id }), method: "POST", headers: { "If-Match": etag } }),
        transformResponse: (event: EventRead, meta) => toEditable(event, meta),
        invalidatesTags: [...listTags],
        onQueryStarted: (arg, { dispatch, queryFulfilled }) => storeEvent(arg.id, dispatch, queryFulfilled),
      }),

      orgCancelEvent: build.mutation<EditableEvent, { id: string; etag: string; reason: string }>({
        query: ({ id, etag, reason }) => ({
          url: fill(CANCEL, { event_id: id }),
          method: "POST",
          body: { reason },
          headers: { "If-Match": etag },
        }),
        transformResponse: (event: EventRead, meta) => toEditable(event, meta),
        invalidatesTags: (_r, _e, arg) => [...listTags, { type: "EventBookings", id: arg.id }, { type: "Cancellation", id: arg.id }],
        onQueryStarted: (arg, { dispatch, queryFulfilled }) => storeEvent(arg.id, dispatch, queryFulfilled),
      }),

      orgDeleteEvent: build.mutation<null, { id: string; etag: string }>({
        query: ({ id, etag }) => ({ url: fill(EVENT, { event_id: id }), method: "DELETE", headers: { "If-Match": etag } }),
        invalidatesTags: [...listTags],
      }),

      orgUploadCover: build.mutation<EditableEvent, { id: string; etag: string; file: File }>({
        query: ({ id, etag, file }) => {
          const body = new FormData();
          body.append("file", file, file.name);
          return { url: fill(COVER, { event_id: id }), method: "POST", body, headers: { "If-Match": etag } };
        },
        transformResponse: (event: EventRead, meta) => toEditable(event, meta),
        invalidatesTags: [...listTags],
        onQueryStarted: (arg, { dispatch, queryFulfilled }) => storeEvent(arg.id, dispatch, queryFulfilled),
      }),

      orgCreateTicketType: build.mutation<
        { ticketType: TicketTypeRead; etag: string },
        { eventId: string; etag: string; body: TicketTypeCreate }
      >({
        query: ({ eventId, etag, body }) => ({
          url: fill(TICKET_TYPES, { event_id: eventId }),
          method: "POST",
          body,
          headers: { "If-Match": etag },
        }),
        transformResponse: (ticketType: TicketTypeRead, meta) => ({ ticketType, etag: etagOf(meta, undefined) }),
        onQueryStarted: (arg, { dispatch, queryFulfilled }) => storeTicketType(arg.eventId, dispatch, queryFulfilled),
        invalidatesTags: (_r, error, arg) => (error ? [] : [{ type: "OrganizerEvent", id: arg.eventId }, ...listTags]),
      }),

      orgUpdateTicketType: build.mutation<
        { ticketType: TicketTypeRead; etag: string },
        { eventId: string; ticketTypeId: string; etag: string; body: TicketTypeUpdate; refetch?: boolean }
      >({
        query: ({ eventId, ticketTypeId, etag, body }) => ({
          url: fill(TICKET_TYPE, { event_id: eventId, ticket_type_id: ticketTypeId }),
          method: "PUT",
          body,
          headers: { "If-Match": etag },
        }),
        transformResponse: (ticketType: TicketTypeRead, meta) => ({ ticketType, etag: etagOf(meta, undefined) }),
        onQueryStarted: (arg, { dispatch, queryFulfilled }) => storeTicketType(arg.eventId, dispatch, queryFulfilled),
        invalidatesTags: (_r, error, arg) =>
          error || arg.refetch === false ? [] : [{ type: "OrganizerEvent", id: arg.eventId }, ...listTags],
      }),

      orgDeleteTicketType: build.mutation<{ etag: string | null }, { eventId: string; ticketTypeId: string; etag: string }>({
        query: ({ eventId, ticketTypeId, etag }) => ({
          url: fill(TICKET_TYPE, { event_id: eventId, ticket_type_id: ticketTypeId }),
          method: "DELETE",
          headers: { "If-Match": etag },
        }),
        transformResponse: (_body: unknown, meta) => ({ etag: meta?.response?.headers.get("ETag") ?? null }),
        async onQueryStarted(arg, { dispatch, queryFulfilled }) {
          const result = await queryFulfilled.catch(() => null);
          if (!result) return;
          dispatch(
            organizerApi.util.updateQueryData("orgEvent", arg.eventId, (draft) => {
              draft.event.ticket_types = draft.event.ticket_types.filter((t) => t.id !== arg.ticketTypeId);
              if (result.data.etag) draft.etag = result.data.etag;
            }),
          );
        },
        invalidatesTags: (_r, error, arg) => (error ? [] : [{ type: "OrganizerEvent", id: arg.eventId }, ...listTags]),
      }),

      orgEventBookings: build.infiniteQuery<BookingPage, EventBookingFilters, string | null>({
        infiniteQueryOptions: {
          initialPageParam: null,
          getNextPageParam: (lastPage) => lastPage.next_cursor,
        },
        query: ({ queryArg, pageParam }) => ({
          url: fill(EVENT_BOOKINGS, { event_id: queryArg.eventId }),
          params: {
            limit: BOOKINGS_PAGE_SIZE,
            ...(queryArg.status ? { status: queryArg.status } : {}),
            ...(queryArg.q ? { q: queryArg.q } : {}),
            ...(pageParam ? { cursor: pageParam } : {}),
          },
        }),
        providesTags: (_r, _e, arg) => [{ type: "EventBookings", id: arg.eventId }],
      }),

      /** Every confirmed booking of an event (up to a cap), for revenue and charts. */
      orgEventSales: build.query<SalesData, string>({
        async queryFn(eventId, _api, _extra, baseQuery) {
          const bookings: BookingRead[] = [];
          let cursor: string | null = null;
          let total = 0;
          let pages = 0;
          do {
            const result = await baseQuery({
              url: fill(EVENT_BOOKINGS, { event_id: eventId }),
              params: { status: "confirmed", limit: 200, ...(cursor ? { cursor } : {}) },
            });
            if (result.error) return { error: result.error as ApiError };
            const page = result.data as BookingPage;
            bookings.push(...page.items);
            total = page.total ?? bookings.length;
            cursor = page.next_cursor;
            pages += 1;
          } while (cursor && pages < SALES_MAX_PAGES);
          return { data: { bookings, total, complete: cursor === null } };
        },
        providesTags: (_r, _e, eventId) => [{ type: "EventBookings", id: eventId }],
      }),

      orgCancelBooking: build.mutation<BookingRead, { id: string; eventId: string; reason?: string }>({
        query: ({ id, reason }) => ({
          url: fill(BOOKING, { booking_id: id }),
          method: "DELETE",
          params: reason ? { reason } : {},
        }),
        invalidatesTags: (_r, error, arg) =>
          error
            ? []
            : [{ type: "EventBookings", id: arg.eventId }, { type: "OrganizerEvent", id: arg.eventId }, "AdminBookings", ...listTags],
      }),

      /** Fetches the CSV with the bearer token and hands it to the browser as a download. */
      orgDownloadBookingsCsv: build.mutation<null, { eventId: string; slug: string; status?: BookingStatus | null }>({
        async queryFn({ eventId, slug, status }, _api, _extra, baseQuery) {
          const result = await baseQuery({
            url: fill(EVENT_BOOKINGS_CSV, { event_id: eventId }),
            params: status ? { status } : {},
            headers: { Accept: "text/csv, application/problem+json" },
            responseHandler: async (response) =>
              response.ok ? response.blob() : response.json().catch(() => null),
          });
          if (result.error) return { error: result.error as ApiError };
          saveBlob(result.data as Blob, `bookings-${slug}.csv`);
          return { data: null };
        },
      }),

      /** Refund progress after cancelling an event; null when the server has none for it (404). */
      orgCancellation: build.query<CancellationProgress | null, string>({
        async queryFn(eventId, _api, _extra, baseQuery) {
          const result = await baseQuery({ url: fill(CANCELLATION, { event_id: eventId }), cache: "no-store" });
          if (result.error) {
            if (result.error.status === 404 || result.error.status === 405) return { data: null };
            return { error: result.error as ApiError };
          }
          return { data: result.data as CancellationProgress };
        },
        providesTags: (_r, _e, eventId) => [{ type: "Cancellation", id: eventId }],
      }),

      /** Door check-ins; null when the server has none (404, e.g. an older server). */
      orgCheckins: build.query<CheckinSummary | null, string>({
        async queryFn(eventId, _api, _extra, baseQuery) {
          const result = await baseQuery({ url: fill(CHECKINS, { event_id: eventId }) });
          if (result.error) {
            if (result.error.status === 404 || result.error.status === 405) return { data: null };
            return { error: result.error as ApiError };
          }
          return { data: result.data as CheckinSummary };
        },
      }),

      orgCoupons: build.query<CouponRead[], void>({
        query: () => ({ url: COUPONS }),
        providesTags: ["Coupons"],
      }),

      orgCreateCoupon: build.mutation<CouponRead, CouponCreate>({
        query: (body) => ({ url: COUPONS, method: "POST", body }),
        invalidatesTags: (_r, error) => (error ? [] : ["Coupons"]),
      }),

      orgUpdateCoupon: build.mutation<CouponRead, { id: string; body: CouponUpdate }>({
        query: ({ id, body }) => ({ url: fill(COUPON, { coupon_id: id }), method: "PATCH", body }),
        async onQueryStarted({ id }, { dispatch, queryFulfilled }) {
          const result = await queryFulfilled.catch(() => null);
          if (!result) return;
          dispatch(
            organizerApi.util.updateQueryData("orgCoupons", undefined, (draft) => {
              const index = draft.findIndex((c) => c.id === id);
              if (index >= 0) draft[index] = result.data;
            }),
          );
        },
      }),
    }),
  });

type Dispatch = (action: unknown) => unknown;

/** Puts the server's answer (and its new ETag) into the editor's cache entry. */
async function storeEvent(id: string, dispatch: Dispatch, queryFulfilled: Promise<{ data: EditableEvent }>) {
  const result = await queryFulfilled.catch(() => null);
  if (result) dispatch(organizerApi.util.upsertQueryData("orgEvent", id, result.data));
}

/** A ticket type change bumps the event's version: keep the ETag current before the refetch. */
async function storeTicketType(
  eventId: string,
  dispatch: Dispatch,
  queryFulfilled: Promise<{ data: { ticketType: TicketTypeRead; etag: string } }>,
) {
  const result = await queryFulfilled.catch(() => null);
  if (!result) return;
  const { ticketType, etag } = result.data;
  dispatch(
    organizerApi.util.updateQueryData("orgEvent", eventId, (draft) => {
      draft.etag = etag;
      const index = draft.event.ticket_types.findIndex((t) => t.id === ticketType.id);
      if (index >= 0) draft.event.ticket_types[index] = ticketType;
      else draft.event.ticket_types.push(ticketType);
    }),
  );
}

function saveBlob(blob: Blob, filename: string): void {
  if (typeof URL.createObjectURL !== "function") return;
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.rel = "noopener";
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const {
  useOrgMyEventsInfiniteQuery,
  useOrgEventQuery,
  useOrgCreateEventMutation,
  useOrgUpdateEventMutation,
  useOrgPublishEventMutation,
  useOrgCancelEventMutation,
  useOrgDeleteEventMutation,
  useOrgUploadCoverMutation,
  useOrgCreateTicketTypeMutation,
  useOrgUpdateTicketTypeMutation,
  useOrgDeleteTicketTypeMutation,
  useOrgEventBookingsInfiniteQuery,
  useOrgEventSalesQuery,
  useOrgCancelBookingMutation,
  useOrgDownloadBookingsCsvMutation,
  useOrgCancellationQuery,
  useOrgCheckinsQuery,
  useOrgCouponsQuery,
  useOrgCreateCouponMutation,
  useOrgUpdateCouponMutation,
} = organizerApi;
