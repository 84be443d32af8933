/**
 * The Socket.IO contract, written by hand: it mirrors backend/boxoffice/realtime/events.py (the
 * pydantic models Availability, BookingStatusChanged, Sale, EventChanged, Checkin and Ack, and the
 * event names). Socket messages are not part of the OpenAPI document, so `tsc` cannot see a change
 * there: change this file together with events.py. The enums come from the generated schema.
 *
 * UUIDs are strings; times are ISO 8601 UTC strings.
 */
import type { components } from "../api/schema";

type Schemas = components["schemas"];

// Server -> client event names.
export const AVAILABILITY = "availability";
export const BOOKING_STATUS = "booking_status";
export const SALE = "sale";
export const EVENT_CHANGED = "event_changed";
export const CHECKIN = "checkin";

// Client -> server event names (each is acknowledged with an `Ack`).
export const JOIN_EVENT = "join_event";
export const LEAVE_EVENT = "leave_event";
export const JOIN_ORGANIZER = "join_organizer";
export const LEAVE_ORGANIZER = "leave_organizer";

/** `TicketTypeAvailability` */
export interface TicketTypeAvailability {
  id: string;
  /** Seats left now (capped by the event's total capacity). */
  remaining: number;
  /** Current unit price in minor units (dynamic pricing applied). */
  price_minor: number;
  sold_out: boolean;
  sales_status: Schemas["SalesStatus"];
}

/** `Availability`, sent to `event:<id>` (and to a client right after it joins: a snapshot). */
export interface Availability {
  event_id: string;
  /** Visible ticket types, in display order. */
  ticket_types: TicketTypeAvailability[];
  /** Seats left across visible ticket types; null when there are none. */
  remaining: number | null;
  sold_out: boolean;
  currency: string;
  /** When the counters were read from the database: ignore a message older than the last applied. */
  at: string;
  /** When the oldest change this message covers was committed; null for a join snapshot. */
  changed_at?: string | null;
}

/** `BookingStatusChanged`, sent to `user:<id>` (joined automatically when signed in). */
export interface BookingStatusChanged {
  booking_id: string;
  event_id: string;
  status: Schemas["BookingStatus"];
  at: string;
}

/** `Sale`, sent to `organizer:<id>`: a booking of one of the organizer's events was created or changed status. */
export interface Sale {
  event_id: string;
  booking_id: string;
  status: Schemas["BookingStatus"];
  /** "status": created or changed status; "tickets_refunded": some tickets were refunded (still confirmed). Absent from older servers. */
  change?: "status" | "tickets_refunded";
  quantity: number;
  total_minor: number;
  currency: string;
  at: string;
}

/** `EventChanged`, sent to `organizer:<id>` and `event:<id>`: refetch the event (a fresh availability follows). */
export interface EventChanged {
  event_id: string;
  /** The event's new version (its ETag). */
  version: number;
  status: Schemas["EventStatus"];
  at: string;
}

/** `Checkin`, sent to `organizer:<id>`: door counts, coalesced like availability. */
export interface Checkin {
  event_id: string;
  checked_in: number;
  sold: number;
  at: string;
}

/** `Ack`: the acknowledgement of every client -> server event. */
export interface Ack {
  ok: boolean;
  room?: string | null;
  code?: string | null;
  message?: string | null;
}

/** Server -> client messages by event name. */
export interface ServerMessages {
  [AVAILABILITY]: Availability;
  [BOOKING_STATUS]: BookingStatusChanged;
  [SALE]: Sale;
  [EVENT_CHANGED]: EventChanged;
  [CHECKIN]: Checkin;
}

export type ServerEvent = keyof ServerMessages;

export const SERVER_EVENTS: readonly ServerEvent[] = [AVAILABILITY, BOOKING_STATUS, SALE, EVENT_CHANGED, CHECKIN];

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (o: Json, key: string) => typeof o[key] === "string";
const num = (o: Json, key: string) => typeof o[key] === "number";

/**
 * A light shape check of what the server sent (the fields the web app reads), so a malformed or
 * future-incompatible message is dropped instead of crashing a page.
 */
export function isServerMessage<E extends ServerEvent>(event: E, data: unknown): data is ServerMessages[E] {
  if (!isObject(data) || !str(data, "event_id") || !str(data, "at")) return false;
  switch (event) {
    case AVAILABILITY:
      return (
        Array.isArray(data.ticket_types) &&
        data.ticket_types.every((t) => isObject(t) && str(t, "id") && num(t, "remaining") && num(t, "price_minor") && str(t, "sales_status"))
      );
    case BOOKING_STATUS:
      return str(data, "booking_id") && str(data, "status");
    case SALE:
      return str(data, "booking_id") && str(data, "status") && num(data, "quantity") && num(data, "total_minor") && str(data, "currency");
    case EVENT_CHANGED:
      return num(data, "version") && str(data, "status");
    case CHECKIN:
      return num(data, "checked_in") && num(data, "sold");
  }
  return false;
}

/**
 * Which thing a message describes, for ordering: a message about the same thing with an older `at`
 * than one already applied is stale (coalesced messages can overtake each other across replicas).
 */
export function subjectOf<E extends ServerEvent>(event: E, message: ServerMessages[E]): string {
  switch (event) {
    case BOOKING_STATUS:
      return `${event}:${(message as BookingStatusChanged).booking_id}`;
    case SALE:
      return `${event}:${(message as Sale).booking_id}`;
    default:
      return `${event}:${message.event_id}`;
  }
}
