/**
 * The Socket.IO contract of backend/boxoffice/realtime/events.py. The payload types are generated:
 * the backend puts its message models into the OpenAPI document (`x-socketio-messages`), so a
 * changed field fails `tsc` and the openapi drift check like any HTTP schema. The event names are
 * mirrored here by hand.
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

/** A ticket type's live seats and price (inside `Availability`). */
export type TicketTypeAvailability = Schemas["TicketTypeAvailability"];
/** Sent to `event:<id>` (and to a client right after it joins: a snapshot). */
export type Availability = Schemas["Availability"];
/** Sent to `user:<id>` (joined automatically when signed in). */
export type BookingStatusChanged = Schemas["BookingStatusChanged"];
/** Sent to `organizer:<id>`: a booking was created or changed status, or some tickets were refunded. */
export type Sale = Schemas["Sale"];
/** Sent to `organizer:<id>` and `event:<id>`: refetch the event (a fresh availability follows). */
export type EventChanged = Schemas["EventChanged"];
/** Sent to `organizer:<id>`: door counts, coalesced like availability. */
export type Checkin = Schemas["Checkin"];
/** The acknowledgement of every client -> server event. */
export type Ack = Schemas["Ack"];

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
