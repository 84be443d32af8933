/** Test data for the customer journey (event detail, checkout, bookings), shaped like the API's. */
import type { EventRead, TicketTypeRead } from "../events/eventsApi";
import type { BookingRead, CouponPublic, PaymentStart, RefundRead } from "./bookingsApi";
import type { TicketRead } from "./ticketsApi";

export const EVENT_ID = "6f1c2a4e-0000-4000-8000-0000000000e1";
export const BOOKING_ID = "b0000000-0000-4000-8000-000000000001";
export const PAYMENT_ID = "a0000000-0000-4000-8000-000000000001";

export function makeTicketType(overrides: Partial<TicketTypeRead> = {}): TicketTypeRead {
  return {
    id: "70000000-0000-4000-8000-000000000001",
    name: "General admission",
    description: "Standing, all areas.",
    price_minor: 2500,
    base_price_minor: 2500,
    price_valid_until: null,
    currency: "EUR",
    capacity: 200,
    remaining: 150,
    sales_start: null,
    sales_end: null,
    sales_status: "on_sale",
    min_per_order: 1,
    max_per_order: 10,
    sort_order: 0,
    hidden: false,
    ...overrides,
  };
}

export function makeEventRead(overrides: Partial<EventRead> = {}): EventRead {
  return {
    id: EVENT_ID,
    slug: "lisbon-jazz-night",
    organizer_id: "0b6f7c1e-0000-4000-8000-0000000000bb",
    title: "Lisbon Jazz Night",
    summary: "An evening of modern jazz by the river.",
    description_md: "## Line-up\n\nThe **Lena Holm Trio**.",
    description_html: "<h2>Line-up</h2><p>The <strong>Lena Holm Trio</strong>.</p>",
    category: "music",
    tags: ["jazz", "live"],
    venue_name: "Casa Azul",
    address: "Rua Augusta 10",
    city: "Lisbon",
    country: "PT",
    latitude: null,
    longitude: null,
    online_url: null,
    starts_at: "2030-06-14T20:00:00Z",
    ends_at: "2030-06-14T23:00:00Z",
    timezone: "Europe/Lisbon",
    status: "published",
    visibility: "public",
    currency: "EUR",
    total_capacity: null,
    refund_until_hours: 48,
    cover_image_url: null,
    price_from_minor: 2500,
    price_to_minor: 2500,
    remaining: 150,
    sold_out: false,
    few_left: false,
    published_at: "2030-01-01T10:00:00Z",
    cancelled_at: null,
    cancelled_reason: null,
    version: 1,
    created_at: "2030-01-01T10:00:00Z",
    updated_at: "2030-01-01T10:00:00Z",
    can_manage: false,
    ticket_types: [makeTicketType()],
    ...overrides,
  };
}

export function makeBooking(overrides: Partial<BookingRead> = {}): BookingRead {
  return {
    id: BOOKING_ID,
    user_id: "0b6f7c1e-0000-4000-8000-000000000001",
    event_id: EVENT_ID,
    event_title: "Lisbon Jazz Night",
    event_starts_at: "2030-06-14T20:00:00Z",
    event_timezone: "Europe/Lisbon",
    status: "pending_payment",
    currency: "EUR",
    subtotal_minor: 5000,
    discount_minor: 0,
    total_minor: 5000,
    refunded_minor: 0,
    coupon_code: null,
    hold_expires_at: new Date(Date.now() + 10 * 60_000).toISOString(),
    created_at: new Date().toISOString(),
    confirmed_at: null,
    cancelled_at: null,
    expired_at: null,
    cancel_reason: null,
    items: [
      {
        ticket_type_id: "70000000-0000-4000-8000-000000000001",
        ticket_type_name: "General admission",
        quantity: 2,
        unit_price_minor: 2500,
        line_total_minor: 5000,
        attendees: [],
      },
    ],
    ...overrides,
  };
}

export function makeConfirmed(overrides: Partial<BookingRead> = {}): BookingRead {
  return makeBooking({ status: "confirmed", confirmed_at: "2030-01-02T10:01:00Z", created_at: "2030-01-02T10:00:00Z", ...overrides });
}

export function makeCoupon(overrides: Partial<CouponPublic> = {}): CouponPublic {
  return {
    code: "JAZZ20",
    kind: "percent",
    amount: 20,
    currency: null,
    event_id: EVENT_ID,
    valid_until: null,
    min_purchase_minor: 0,
    ticket_type_ids: [],
    available: true,
    ...overrides,
  };
}

export function makePaymentStart(overrides: Partial<PaymentStart> = {}): PaymentStart {
  return {
    payment: {
      id: PAYMENT_ID,
      booking_id: BOOKING_ID,
      provider: "mock",
      amount_minor: 5000,
      currency: "EUR",
      status: "requires_payment",
      refunded_minor: 0,
      failure_code: null,
      created_at: new Date().toISOString(),
      succeeded_at: null,
    },
    provider: "mock",
    client_secret: null,
    demo_mode: true,
    decline_card: "4000000000000002",
    ...overrides,
  };
}

export function makeRefund(overrides: Partial<RefundRead> = {}): RefundRead {
  return {
    id: "c0000000-0000-4000-8000-000000000001",
    booking_id: BOOKING_ID,
    amount_minor: 5000,
    currency: "EUR",
    status: "pending",
    reason: "cancelled_by_customer",
    ticket_ids: [],
    created_at: "2030-01-03T10:00:00Z",
    completed_at: null,
    ...overrides,
  };
}

export function makeTicket(overrides: Partial<TicketRead> = {}): TicketRead {
  return {
    id: "d0000000-0000-4000-8000-000000000001",
    booking_id: BOOKING_ID,
    event_id: EVENT_ID,
    event_title: "Lisbon Jazz Night",
    event_starts_at: "2030-06-14T20:00:00Z",
    event_timezone: "Europe/Lisbon",
    ticket_type_id: "70000000-0000-4000-8000-000000000001",
    code: "BX-7K2M-9QPL",
    status: "valid",
    ticket_type_name: "General admission",
    attendee_name: "Casey Customer",
    attendee_email: null,
    checked_in_at: null,
    checked_in_by_name: null,
    qr_url: "/api/tickets/d0000000-0000-4000-8000-000000000001/qr.svg",
    pdf_url: "/api/tickets/d0000000-0000-4000-8000-000000000001/pdf",
    paid_minor: 2500,
    ...overrides,
  };
}
