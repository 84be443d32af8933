import { useRef, useState } from "react";
import { useStore } from "react-redux";
import type { RootState } from "../../app/store";
import { formatMoney } from "../../lib/format";
import type { RoomStatus } from "../../realtime/client";
import { useOrganizerLive } from "../../realtime/hooks";
import type { Sale } from "../../realtime/messages";
import { useKeyedThrottle } from "../../realtime/throttle";
import { organizerApi, type MyEventSummary } from "./organizerApi";
import { revenueByCurrency } from "./sales";

/** Refetch the dashboard's figures at most this often while sales pour in (leading and trailing). */
export const LIVE_REFETCH_MS = 1_000;
/** How many recent sales the activity list keeps. */
export const ACTIVITY_SIZE = 5;

type Dispatch = (action: unknown) => unknown;
const LIST = "list";

/** Events whose door counts the dashboard shows (nothing to count before a ticket is sold). */
export function followsCheckins(event: MyEventSummary): boolean {
  return event.status !== "draft" && event.tickets_sold > 0;
}

/**
 * The organizer's room on the dashboard: a sale refetches the list (sold / held counts) and that
 * event's revenue, throttled; check-in counts come in the message itself; the latest sales are
 * kept for the activity list. After a reconnection everything is fetched again.
 */
export function useDashboardLive(events: readonly MyEventSummary[]): { status: RoomStatus; activity: Sale[] } {
  const store = useStore<RootState>();
  const dispatch = store.dispatch as Dispatch;
  const eventsRef = useRef(events);
  eventsRef.current = events;
  const [activity, setActivity] = useState<Sale[]>([]);

  const refetch = useKeyedThrottle((key) => {
    dispatch(
      organizerApi.util.invalidateTags(key === LIST ? ["MyEvents"] : [{ type: "EventBookings", id: key }]),
    );
  }, LIVE_REFETCH_MS);

  const status = useOrganizerLive({
    onSale(sale) {
      refetch(LIST);
      // Revenue counts confirmed bookings only; a hold starting or expiring does not change it.
      if (sale.status === "confirmed" || sale.status === "cancelled") refetch(sale.event_id);
      // A partial refund moves the figures but is not a new sale for the activity list.
      if (sale.change === "tickets_refunded") return;
      // The activity list shows sales: a cancellation may be of an unpaid hold (the message can't tell).
      if (sale.status === "confirmed") {
        setActivity((list) => [sale, ...list.filter((s) => s.booking_id !== sale.booking_id)].slice(0, ACTIVITY_SIZE));
      }
    },
    onCheckin(checkin) {
      dispatch(
        organizerApi.util.upsertQueryData("orgCheckins", checkin.event_id, {
          event_id: checkin.event_id,
          checked_in: checkin.checked_in,
          sold: checkin.sold,
        }),
      );
    },
    onEventChanged() {
      refetch(LIST);
    },
    onResync() {
      refetch(LIST);
      dispatch(organizerApi.util.invalidateTags(["EventBookings"]));
      for (const event of eventsRef.current.filter(followsCheckins)) {
        dispatch(organizerApi.endpoints.orgCheckins.initiate(event.id, { subscribe: false, forceRefetch: true }));
      }
    },
  });
  return { status, activity };
}

type OrganizerState = Parameters<ReturnType<typeof organizerApi.endpoints.orgCheckins.select>>[0];

/** Door check-ins across the events, from the cached summaries (0 for events not counted). */
export function selectCheckedIn(state: RootState, events: readonly MyEventSummary[]): number {
  let total = 0;
  for (const event of events) {
    if (!followsCheckins(event)) continue;
    total += organizerApi.endpoints.orgCheckins.select(event.id)(state as unknown as OrganizerState).data?.checked_in ?? 0;
  }
  return total;
}

/** Net revenue across the events, per currency, as text ("≥" while some figures are partial); null before any loaded. */
export function selectRevenueText(state: RootState, events: readonly MyEventSummary[], locale?: string): string | null {
  const totals = new Map<string, number>();
  let loaded = false;
  let partial = false;
  for (const event of events) {
    if (event.status === "draft") continue;
    const sales = organizerApi.endpoints.orgEventSales.select(event.id)(state as unknown as OrganizerState).data;
    if (!sales) {
      partial = true;
      continue;
    }
    loaded = true;
    if (!sales.complete) partial = true;
    for (const [currency, amount] of revenueByCurrency(sales.bookings)) totals.set(currency, (totals.get(currency) ?? 0) + amount);
  }
  if (!loaded) return null;
  const text = [...totals].map(([currency, amount]) => formatMoney(amount, currency, locale)).join(" · ");
  return `${partial ? "≥ " : ""}${text || formatMoney(0, events[0]?.currency ?? "EUR", locale)}`;
}
