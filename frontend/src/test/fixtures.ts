import type { EventPage, EventSummary } from "../app/api";

export function makeEvent(overrides: Partial<EventSummary> = {}): EventSummary {
  return {
    id: "6f1c2a4e-0000-4000-8000-000000000001",
    slug: "lisbon-jazz-night",
    title: "Lisbon Jazz Night",
    summary: "An evening of modern jazz by the river.",
    category: "music",
    city: "Lisbon",
    venue_name: "Casa Azul",
    starts_at: "2030-06-14T20:00:00Z",
    ends_at: "2030-06-14T23:00:00Z",
    timezone: "Europe/Lisbon",
    status: "published",
    price_from_minor: 1250,
    price_to_minor: 4000,
    currency: "EUR",
    remaining: 120,
    cover_image_url: null,
    ...overrides,
  };
}

export function makePage(items: EventSummary[], next_cursor: string | null = null): EventPage {
  return { items, next_cursor };
}
