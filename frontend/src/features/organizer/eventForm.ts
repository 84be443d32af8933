import { browserTimeZone, fromZonedInput, toZonedInput } from "./datetime";
import type { FieldErrors } from "./errors";
import { parseWhole } from "./money";
import type { EventCreate, EventRead, EventUpdate, EventVisibility } from "./organizerApi";

export const CATEGORIES = [
  "music",
  "comedy",
  "theatre",
  "conference",
  "workshop",
  "sports",
  "festival",
  "food",
  "art",
  "film",
  "family",
  "nightlife",
  "community",
  "other",
] as const;

export const CURRENCIES = ["EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "CAD", "AUD", "JPY"] as const;

/** What the event form edits: text as typed, times as wall-clock in `timezone`. */
export interface EventFormValues {
  title: string;
  summary: string;
  description_md: string;
  category: string;
  tags: string;
  visibility: EventVisibility;
  timezone: string;
  starts_at: string;
  ends_at: string;
  venue_name: string;
  address: string;
  city: string;
  country: string;
  online_url: string;
  currency: string;
  total_capacity: string;
  refund_policy: "none" | "hours";
  refund_until_hours: string;
}

/** The form's fields, in page order (errors are focused in this order). */
export const EVENT_FIELDS = [
  "title",
  "summary",
  "category",
  "tags",
  "visibility",
  "description_md",
  "timezone",
  "starts_at",
  "ends_at",
  "venue_name",
  "address",
  "city",
  "country",
  "online_url",
  "currency",
  "total_capacity",
  "refund_until_hours",
] as const;

export const EVENT_FIELD_LABELS: Record<string, string> = {
  title: "Title",
  summary: "Summary",
  description_md: "Description",
  category: "Category",
  tags: "Tags",
  visibility: "Visibility",
  timezone: "Timezone",
  starts_at: "Starts",
  ends_at: "Ends",
  venue_name: "Venue",
  address: "Address",
  city: "City",
  country: "Country",
  online_url: "Online link",
  currency: "Currency",
  total_capacity: "Total capacity",
  refund_until_hours: "Refund policy",
  slug: "Web address",
  ticket_types: "Ticket types",
  latitude: "Latitude",
  longitude: "Longitude",
};

/** A week from today, 19:00 → 22:00 in the viewer's timezone: a sensible start for a new event. */
export function emptyEventValues(now: Date = new Date()): EventFormValues {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 7);
  const pad = (n: number) => String(n).padStart(2, "0");
  const date = `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
  return {
    title: "",
    summary: "",
    description_md: "",
    category: "other",
    tags: "",
    visibility: "public",
    timezone: browserTimeZone(),
    starts_at: `${date}T19:00`,
    ends_at: `${date}T22:00`,
    venue_name: "",
    address: "",
    city: "",
    country: "",
    online_url: "",
    currency: "EUR",
    total_capacity: "",
    refund_policy: "hours",
    refund_until_hours: "48",
  };
}

export function eventToValues(event: EventRead): EventFormValues {
  return {
    title: event.title,
    summary: event.summary,
    description_md: event.description_md,
    category: event.category,
    tags: event.tags.join(", "),
    visibility: event.visibility,
    timezone: event.timezone,
    starts_at: toZonedInput(event.starts_at, event.timezone),
    ends_at: toZonedInput(event.ends_at, event.timezone),
    venue_name: event.venue_name ?? "",
    address: event.address ?? "",
    city: event.city ?? "",
    country: event.country ?? "",
    online_url: event.online_url ?? "",
    currency: event.currency,
    total_capacity: event.total_capacity === null ? "" : String(event.total_capacity),
    refund_policy: event.refund_until_hours === null ? "none" : "hours",
    refund_until_hours: event.refund_until_hours === null ? "48" : String(event.refund_until_hours),
  };
}

export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of text.split(",")) {
    const tag = raw.trim().toLowerCase().replace(/\s+/g, " ");
    if (tag) seen.add(tag);
  }
  return [...seen];
}

const orNull = (text: string): string | null => (text.trim() ? text.trim() : null);

/** Checks what the browser can check; the server checks the rest (DST gaps, past dates, ...). */
export function validateEvent(values: EventFormValues): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  if (!values.title.trim()) add("title", "Give the event a title.");
  if (!values.timezone) add("timezone", "Choose the timezone the times are in.");
  if (!values.starts_at) add("starts_at", "Choose when the event starts.");
  if (!values.ends_at) add("ends_at", "Choose when the event ends.");
  if (values.starts_at && values.ends_at && values.ends_at <= values.starts_at) add("ends_at", "The end must be after the start.");
  if (values.country.trim() && !/^[A-Za-z]{2}$/.test(values.country.trim())) add("country", "Use the 2-letter country code, e.g. PT.");
  if (values.online_url.trim() && !/^https?:\/\/\S+$/i.test(values.online_url.trim())) {
    add("online_url", "Use a full web address starting with https://");
  }
  const capacity = parseWhole(values.total_capacity);
  if (capacity !== null && (Number.isNaN(capacity) || capacity < 0)) add("total_capacity", "Use a whole number, or leave it empty.");
  if (values.refund_policy === "hours") {
    const hours = parseWhole(values.refund_until_hours);
    if (hours === null || Number.isNaN(hours) || hours < 0 || hours > 8760) {
      add("refund_until_hours", "Use a whole number of hours between 0 and 8760.");
    }
  }
  return errors;
}

function refundHours(values: EventFormValues): number | null {
  return values.refund_policy === "none" ? null : parseWhole(values.refund_until_hours);
}

export function valuesToCreate(values: EventFormValues): EventCreate {
  return {
    title: values.title.trim(),
    summary: values.summary.trim(),
    description_md: values.description_md,
    category: values.category,
    tags: parseTags(values.tags),
    visibility: values.visibility,
    timezone: values.timezone,
    starts_at: fromZonedInput(values.starts_at) ?? "",
    ends_at: fromZonedInput(values.ends_at) ?? "",
    venue_name: orNull(values.venue_name),
    address: orNull(values.address),
    city: orNull(values.city),
    country: orNull(values.country.toUpperCase()),
    online_url: orNull(values.online_url),
    currency: values.currency,
    total_capacity: parseWhole(values.total_capacity),
    refund_until_hours: refundHours(values),
  };
}

/**
 * Only what changed (the server changes only the fields sent). When the timezone changes the
 * start and end are sent too: the form shows wall-clock times, which then mean other instants.
 */
export function valuesToUpdate(initial: EventFormValues, values: EventFormValues): EventUpdate {
  const body: EventUpdate = {};
  const changed = (key: keyof EventFormValues) => initial[key] !== values[key];
  if (changed("title")) body.title = values.title.trim();
  if (changed("summary")) body.summary = values.summary.trim();
  if (changed("description_md")) body.description_md = values.description_md;
  if (changed("category")) body.category = values.category;
  if (parseTags(initial.tags).join(",") !== parseTags(values.tags).join(",")) body.tags = parseTags(values.tags);
  if (changed("visibility")) body.visibility = values.visibility;
  if (changed("timezone")) body.timezone = values.timezone;
  if (changed("starts_at") || changed("timezone")) body.starts_at = fromZonedInput(values.starts_at);
  if (changed("ends_at") || changed("timezone")) body.ends_at = fromZonedInput(values.ends_at);
  if (changed("venue_name")) body.venue_name = orNull(values.venue_name);
  if (changed("address")) body.address = orNull(values.address);
  if (changed("city")) body.city = orNull(values.city);
  if (changed("country")) body.country = orNull(values.country.toUpperCase());
  if (changed("online_url")) body.online_url = orNull(values.online_url);
  if (changed("currency")) body.currency = values.currency;
  if (changed("total_capacity")) body.total_capacity = parseWhole(values.total_capacity);
  if (refundHours(initial) !== refundHours(values)) body.refund_until_hours = refundHours(values);
  return body;
}

export function sameValues(a: EventFormValues, b: EventFormValues): boolean {
  return (Object.keys(a) as (keyof EventFormValues)[]).every((key) => a[key] === b[key]);
}
