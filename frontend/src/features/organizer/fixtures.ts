/** Test data for the organizer and admin pages, shaped like the API's answers. */
import type { BookingRead, CouponRead, EventRead, MyEventSummary, TicketTypeRead } from "./organizerApi";

export const EVENT_ID = "6f1c2a4e-0000-4000-8000-00000000e001";
export const TT_ID = "6f1c2a4e-0000-4000-8000-0000000077a1";

export function makeTicketType(overrides: Partial<TicketTypeRead> = {}): TicketTypeRead {
  return {
    id: TT_ID,
    name: "General admission",
    description: "",
    price_minor: 2500,
    base_price_minor: 2500,
    price_valid_until: null,
    currency: "EUR",
    capacity: 100,
    remaining: 88,
    sales_start: null,
    sales_end: null,
    sales_status: "on_sale",
    min_per_order: 1,
    max_per_order: 10,
    sort_order: 0,
    hidden: false,
    sold: 10,
    held: 2,
    pricing_rules: [],
    ...overrides,
  };
}

export function makeEventRead(overrides: Partial<EventRead> = {}): EventRead {
  return {
    id: EVENT_ID,
    slug: "lisbon-jazz-night",
    organizer_id: "0b6f7c1e-0000-4000-8000-0000000000bb",
    title: "Lisbon Jazz Night",
    summary: "Modern jazz by the river.",
    description_md: "An **evening** of jazz.",
    description_html: "<p>An <strong>evening</strong> of jazz.</p>",
    category: "music",
    tags: ["jazz"],
    venue_name: "Casa Azul",
    address: "Rua Azul 1",
    city: "Lisbon",
    country: "PT",
    latitude: null,
    longitude: null,
    online_url: null,
    starts_at: "2030-06-14T19:00:00Z",
    ends_at: "2030-06-14T22:00:00Z",
    timezone: "Europe/Lisbon",
    status: "published",
    visibility: "public",
    currency: "EUR",
    total_capacity: null,
    refund_until_hours: 48,
    cover_image_url: null,
    price_from_minor: 2500,
    price_to_minor: 2500,
    remaining: 88,
    sold_out: false,
    few_left: false,
    published_at: "2030-01-01T10:00:00Z",
    cancelled_at: null,
    cancelled_reason: null,
    version: 3,
    created_at: "2029-12-01T10:00:00Z",
    updated_at: "2030-01-01T10:00:00Z",
    can_manage: true,
    ticket_types: [makeTicketType()],
    ...overrides,
  };
}

export function makeMyEvent(overrides: Partial<MyEventSummary> = {}): MyEventSummary {
  return {
    id: EVENT_ID,
    slug: "lisbon-jazz-night",
    title: "Lisbon Jazz Night",
    summary: "Modern jazz by the river.",
    category: "music",
    city: "Lisbon",
    venue_name: "Casa Azul",
    starts_at: "2030-06-14T19:00:00Z",
    ends_at: "2030-06-14T22:00:00Z",
    timezone: "Europe/Lisbon",
    status: "published",
    price_from_minor: 2500,
    price_to_minor: 2500,
    currency: "EUR",
    remaining: 88,
    cover_image_url: null,
    tags: [],
    country: "PT",
    is_online: false,
    sold_out: false,
    few_left: false,
    visibility: "public",
    version: 3,
    published_at: "2030-01-01T10:00:00Z",
    tickets_sold: 10,
    tickets_held: 2,
    capacity: 100,
    ...overrides,
  };
}

let bookingCounter = 0;
export function makeBooking(overrides: Partial<BookingRead> = {}): BookingRead {
  bookingCounter += 1;
  return {
    id: `0d0d0d0d-0000-4000-8000-${String(bookingCounter).padStart(12, "0")}`,
    user_id: "0b6f7c1e-0000-4000-8000-000000000001",
    event_id: EVENT_ID,
    event_title: "Lisbon Jazz Night",
    event_starts_at: "2030-06-14T19:00:00Z",
    event_timezone: "Europe/Lisbon",
    status: "confirmed",
    currency: "EUR",
    subtotal_minor: 5000,
    discount_minor: 0,
    total_minor: 5000,
    refunded_minor: 0,
    coupon_code: null,
    hold_expires_at: "2030-02-01T10:10:00Z",
    created_at: "2030-02-01T10:00:00Z",
    confirmed_at: "2030-02-01T10:01:00Z",
    cancelled_at: null,
    expired_at: null,
    cancel_reason: null,
    items: [
      {
        ticket_type_id: TT_ID,
        ticket_type_name: "General admission",
        quantity: 2,
        unit_price_minor: 2500,
        line_total_minor: 5000,
        attendees: [],
      },
    ],
    customer_email: "casey@example.com",
    customer_name: "Casey Customer",
    ...overrides,
  };
}

export function makeCoupon(overrides: Partial<CouponRead> = {}): CouponRead {
  return {
    id: "0c0c0c0c-0000-4000-8000-000000000001",
    code: "EARLY10",
    event_id: null,
    kind: "percent",
    amount: 10,
    currency: null,
    usage_limit: 100,
    per_user_limit: 1,
    used_count: 3,
    valid_from: null,
    valid_until: null,
    min_purchase_minor: 0,
    ticket_type_ids: [],
    active: true,
    created_at: "2030-01-01T10:00:00Z",
    ...overrides,
  };
}
