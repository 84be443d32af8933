import { api } from "../../app/api";
import type { components, operations, paths } from "../../api/schema";
import type { UserId } from "../auth/authApi";

type Schemas = components["schemas"];
export type BookingRead = Schemas["BookingRead"];
export type BookingPage = Schemas["BookingPage"];
export type BookingStatus = Schemas["BookingStatus"];
export type BookingCreate = Schemas["BookingCreate"];
export type PaymentStart = Schemas["PaymentStart"];
export type PaymentRead = Schemas["PaymentRead"];
export type RefundRead = Schemas["RefundRead"];
export type TicketRefundResult = Schemas["TicketRefundResult"];
export type CouponPublic = Schemas["CouponPublic"];
type MineQuery = NonNullable<operations["bookings-mine"]["parameters"]["query"]>;

// Paths are checked against the generated schema so a renamed route fails `tsc`.
const PATHS = {
  bookings: "/api/bookings",
  mine: "/api/bookings/my/bookings",
  booking: "/api/bookings/{booking_id}",
  confirm: "/api/bookings/{booking_id}/confirm",
  payment: "/api/bookings/{booking_id}/payment",
  refunds: "/api/bookings/{booking_id}/refunds",
  mockCard: "/api/payments/{payment_id}/mock-card",
  coupon: "/api/coupons/{code}",
} as const satisfies Record<string, keyof paths>;

export const MY_BOOKINGS_PAGE_SIZE = 10;

function bookingPath(template: string, id: string): string {
  return template.replace("{booking_id}", encodeURIComponent(id));
}

/** The listing's filter; `userId` keys the cache per person (see `UserId`). */
export interface MyBookingsArgs {
  userId: UserId;
  status: MineQuery["status"];
}

export const bookingsApi = api.enhanceEndpoints({ addTagTypes: ["Booking", "Refund", "Ticket"] }).injectEndpoints({
  endpoints: (build) => ({
    /** Holds the seats. The same `idempotencyKey` on a retry returns the same booking. */
    createBooking: build.mutation<BookingRead, { body: BookingCreate; idempotencyKey: string }>({
      query: ({ body, idempotencyKey }) => ({
        url: PATHS.bookings,
        method: "POST",
        body,
        headers: { "Idempotency-Key": idempotencyKey },
      }),
      // Availability changed (ours or, on a sold-out answer, someone else's): show it.
      invalidatesTags: (_result, _error, { body }) => [
        { type: "Event", id: body.event_id },
        { type: "Booking", id: "LIST" },
      ],
    }),

    getBooking: build.query<BookingRead, string>({
      query: (id) => bookingPath(PATHS.booking, id),
      providesTags: (_booking, _error, id) => [{ type: "Booking", id }],
    }),

    myBookings: build.infiniteQuery<BookingPage, MyBookingsArgs, string | null>({
      infiniteQueryOptions: {
        initialPageParam: null,
        getNextPageParam: (lastPage) => lastPage.next_cursor,
      },
      query: ({ queryArg, pageParam }) => {
        const params: Record<string, string | number> = { limit: MY_BOOKINGS_PAGE_SIZE };
        if (queryArg.status) params.status = queryArg.status;
        if (pageParam) params.cursor = pageParam;
        return { url: PATHS.mine, params };
      },
      providesTags: [{ type: "Booking", id: "LIST" }],
    }),

    cancelBooking: build.mutation<BookingRead, string>({
      query: (id) => ({ url: bookingPath(PATHS.booking, id), method: "DELETE" }),
      async onQueryStarted(id, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(bookingsApi.util.upsertQueryData("getBooking", id, data));
        } catch {
          // The page shows the error.
        }
      },
      invalidatesTags: (result, _error, id) =>
        result
          ? [{ type: "Booking", id: "LIST" }, { type: "Refund", id }, { type: "Ticket", id }, { type: "Event", id: result.event_id }]
          : [],
    }),

    /** Free bookings confirm at once; paid ones once the provider says the money arrived. */
    confirmBooking: build.mutation<BookingRead, string>({
      query: (id) => ({ url: bookingPath(PATHS.confirm, id), method: "POST" }),
      async onQueryStarted(id, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(bookingsApi.util.upsertQueryData("getBooking", id, data));
        } catch {
          // The page shows the error.
        }
      },
      invalidatesTags: (result, _error, id) =>
        result ? [{ type: "Booking", id: "LIST" }, { type: "Ticket", id }, { type: "Refund", id }] : [],
    }),

    /** Creates (or reuses) the provider payment for a pending booking. */
    startPayment: build.mutation<PaymentStart, string>({
      query: (id) => ({ url: bookingPath(PATHS.payment, id), method: "POST" }),
    }),

    /** Demo mode only: "pay" with a test card number. */
    submitMockCard: build.mutation<PaymentRead, { paymentId: string; cardNumber: string }>({
      query: ({ paymentId, cardNumber }) => ({
        url: PATHS.mockCard.replace("{payment_id}", encodeURIComponent(paymentId)),
        method: "POST",
        body: { card_number: cardNumber },
      }),
    }),

    /**
     * Refunds some tickets of a confirmed booking (payments-refund-tickets): they are voided and
     * what was paid for each comes back. Refunding the last valid tickets cancels the booking.
     */
    refundTickets: build.mutation<TicketRefundResult, { bookingId: string; ticketIds: string[]; reason?: string }>({
      query: ({ bookingId, ticketIds, reason }) => ({
        url: bookingPath(PATHS.refunds, bookingId),
        method: "POST",
        body: { ticket_ids: ticketIds, ...(reason ? { reason } : {}) },
      }),
      async onQueryStarted({ bookingId }, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(bookingsApi.util.upsertQueryData("getBooking", bookingId, data.booking));
        } catch {
          // The page shows the error.
        }
      },
      // A refusal (e.g. a ticket refunded meanwhile in another tab) means our copy is stale too.
      invalidatesTags: (result, error, { bookingId }) =>
        result
          ? [
              { type: "Booking", id: "LIST" },
              { type: "Refund", id: bookingId },
              { type: "Ticket", id: bookingId },
              { type: "Event", id: result.booking.event_id },
            ]
          : error?.status === 409
            ? [
                { type: "Booking", id: bookingId },
                { type: "Ticket", id: bookingId },
              ]
            : [],
    }),

    refunds: build.query<RefundRead[], string>({
      query: (id) => bookingPath(PATHS.refunds, id),
      providesTags: (_refunds, _error, id) => [{ type: "Refund", id }],
    }),

    /** What a coupon code gives (signed-in users only). */
    coupon: build.query<CouponPublic, string>({
      query: (code) => PATHS.coupon.replace("{code}", encodeURIComponent(code)),
      keepUnusedDataFor: 0,
    }),
  }),
});

export const {
  useCreateBookingMutation,
  useGetBookingQuery,
  useMyBookingsInfiniteQuery,
  useCancelBookingMutation,
  useConfirmBookingMutation,
  useStartPaymentMutation,
  useSubmitMockCardMutation,
  useRefundsQuery,
  useRefundTicketsMutation,
  useLazyCouponQuery,
} = bookingsApi;
