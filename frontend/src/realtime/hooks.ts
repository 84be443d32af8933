import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useSyncExternalStore } from "react";
import { useStore } from "react-redux";
import type { AppStore } from "../app/store";
import { eventRoom, organizerRoom, realtimeFor, type LiveStatus, type RealtimeClient, type RoomStatus } from "./client";
import { AVAILABILITY, BOOKING_STATUS, CHECKIN, EVENT_CHANGED, SALE } from "./messages";
import type { Availability, BookingStatusChanged, Checkin, EventChanged, Sale } from "./messages";

/** The tab's realtime client (bound to the Redux store, whose session it follows). */
export function useRealtime(): RealtimeClient {
  const store = useStore() as AppStore;
  return useMemo(() => realtimeFor(store), [store]);
}

/** The live connection's state, for a page-wide indicator. It does not open a connection by itself. */
export function useLiveStatus(): LiveStatus {
  const client = useRealtime();
  return useSyncExternalStore(client.subscribeStatus, client.getStatus, client.getStatus);
}

/** The latest handlers, without re-subscribing when a page passes new closures on each render. */
function useLatest<T>(value: T) {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

function useRoomStatus(client: RealtimeClient, key: string | null): RoomStatus {
  const get = useCallback((): RoomStatus => (key ? client.roomStatus(key) : "unavailable"), [client, key]);
  return useSyncExternalStore(client.subscribeStatus, get, get);
}

export interface EventLiveHandlers {
  /** Current remaining seats and prices (stale messages are already dropped). */
  onAvailability?: (message: Availability) => void;
  /** The event itself changed: refetch it. */
  onEventChanged?: (message: EventChanged) => void;
  /** After a reconnection: refetch what the page shows (a fresh availability snapshot also comes). */
  onResync?: () => void;
}

export interface EventLive {
  status: RoomStatus;
  /** Ask the server for the current counters again (e.g. after an HTTP refetch that may be cached). */
  requestSnapshot: () => void;
}

/** Follows one event's room while mounted (pass null to follow nothing). */
export function useEventLive(eventId: string | null | undefined, handlers: EventLiveHandlers): EventLive {
  const client = useRealtime();
  const latest = useLatest(handlers);
  useEffect(() => {
    if (!eventId) return;
    // Listen first: the snapshot answers the join.
    const stops = [
      client.on(AVAILABILITY, (m) => m.event_id === eventId && latest.current.onAvailability?.(m)),
      client.on(EVENT_CHANGED, (m) => m.event_id === eventId && latest.current.onEventChanged?.(m)),
      client.onResync(() => latest.current.onResync?.()),
      client.joinRoom(eventRoom(eventId)),
    ];
    return () => stops.forEach((stop) => stop());
  }, [client, eventId, latest]);
  const key = eventId ? eventRoom(eventId).key : null;
  const status = useRoomStatus(client, key);
  const requestSnapshot = useCallback(() => {
    if (key) client.requestSnapshot(key);
  }, [client, key]);
  return useMemo(() => ({ status, requestSnapshot }), [status, requestSnapshot]);
}

export interface OrganizerLiveHandlers {
  onSale?: (message: Sale) => void;
  onCheckin?: (message: Checkin) => void;
  onEventChanged?: (message: EventChanged) => void;
  onResync?: () => void;
}

/**
 * Follows an organizer's room while mounted: one's own by default; admins may pass another
 * organizer's id. `enabled: false` follows nothing.
 */
export function useOrganizerLive(
  handlers: OrganizerLiveHandlers,
  { organizerId = null, enabled = true }: { organizerId?: string | null; enabled?: boolean } = {},
): RoomStatus {
  const client = useRealtime();
  const latest = useLatest(handlers);
  useEffect(() => {
    if (!enabled) return;
    const stops = [
      client.on(SALE, (m) => latest.current.onSale?.(m)),
      client.on(CHECKIN, (m) => latest.current.onCheckin?.(m)),
      client.on(EVENT_CHANGED, (m) => latest.current.onEventChanged?.(m)),
      client.onResync(() => latest.current.onResync?.()),
      client.joinRoom(organizerRoom(organizerId)),
    ];
    return () => stops.forEach((stop) => stop());
  }, [client, organizerId, enabled, latest]);
  return useRoomStatus(client, enabled ? organizerRoom(organizerId).key : null);
}

/**
 * Status changes of one of the signed-in user's bookings (the server puts every signed-in
 * connection in its user's room). "unavailable" while connected without an account.
 */
export function useBookingStatusLive(
  bookingId: string | null | undefined,
  onStatus: (message: BookingStatusChanged) => void,
  onResync?: () => void,
): RoomStatus {
  const client = useRealtime();
  const latest = useLatest({ onStatus, onResync });
  useEffect(() => {
    if (!bookingId) return;
    const stops = [
      client.on(BOOKING_STATUS, (m) => m.booking_id === bookingId && latest.current.onStatus(m)),
      client.onResync(() => latest.current.onResync?.()),
      client.retain(),
    ];
    return () => stops.forEach((stop) => stop());
  }, [client, bookingId, latest]);
  const get = useCallback((): RoomStatus => {
    if (!bookingId) return "unavailable";
    const status = client.getStatus();
    return status === "live" && !client.isAuthenticated() ? "unavailable" : status;
  }, [client, bookingId]);
  return useSyncExternalStore(client.subscribeStatus, get, get);
}
