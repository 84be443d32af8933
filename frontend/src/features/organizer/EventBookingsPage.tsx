import { useEffect, useMemo, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { useAppDispatch } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { BarChart } from "../../components/charts/BarChart";
import { HorizontalBars } from "../../components/charts/HorizontalBars";
import { LiveIndicator } from "../../components/LiveIndicator";
import { timeSeries } from "../../components/charts/series";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { LoadingButton } from "../../components/LoadingButton";
import { StatCard } from "../../components/StatCard";
import { usePageTitle } from "../../components/usePageTitle";
import { formatEventDate, formatMoney } from "../../lib/format";
import { useOrganizerLive } from "../../realtime/hooks";
import { useKeyedThrottle } from "../../realtime/throttle";
import { BookingsTable } from "./BookingsTable";
import { useBookingActions, type Notice } from "./useBookingActions";
import { describeProblem } from "./errors";
import {
  organizerApi,
  useOrgCheckinsQuery,
  useOrgDownloadBookingsCsvMutation,
  useOrgEventBookingsInfiniteQuery,
  useOrgEventQuery,
  useOrgEventSalesQuery,
  type BookingStatus,
  type EventRead,
} from "./organizerApi";
import { netMinor, revenueByCurrency, saleDate, ticketCount } from "./sales";
import { BookingStatusOptions, EventStatusChip, isBookingStatus } from "./StatusChip";
import { orderedTypes } from "./TicketTypesEditor";
import { SelectField } from "../../components/SelectField";
import { SearchWithFilter } from "../../components/SearchWithFilter";
import { LoadMore } from "../../components/LoadMore";

/** While sales pour in, the table, figures and chart refetch at most this often. */
const LIVE_REFETCH_MS = 1000;

/** `/organizer/events/:id/bookings`: sales figures, charts and the bookings list. */
export function EventBookingsPage() {
  const { id = "" } = useParams();
  const eventQuery = useOrgEventQuery(id);
  const event = eventQuery.data?.event;
  usePageTitle(event ? `Bookings · ${event.title}` : "Bookings");

  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8 lg:px-8">
      <Link to="/organizer" className="text-sm font-medium text-brand-700 hover:underline">
        <span aria-hidden="true">←</span> My events
      </Link>
      {eventQuery.isLoading ? (
        <div role="status" aria-busy="true" className="mt-4 space-y-4">
          <span className="sr-only">Loading the event…</span>
          <div aria-hidden="true" className="h-9 w-2/3 animate-pulse rounded bg-slate-100" />
          <div aria-hidden="true" className="h-24 animate-pulse rounded-2xl bg-slate-100" />
        </div>
      ) : eventQuery.isError || !event ? (
        <div className="mt-4">
          <ErrorState
            title="We couldn't load this event"
            message={describeProblem(eventQuery.error).message}
            onRetry={() => void eventQuery.refetch()}
            retrying={eventQuery.isFetching}
          />
        </div>
      ) : (
        <BookingsDashboard event={event} />
      )}
    </div>
  );
}

function BookingsDashboard({ event }: { event: EventRead }) {
  const [params, setParams] = useSearchParams();
  const status = isBookingStatus(params.get("status")) ? (params.get("status") as BookingStatus) : null;
  const q = params.get("q")?.trim() ?? "";
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);
  const list = useOrgEventBookingsInfiniteQuery({ eventId: event.id, status, q: q || null });
  const dispatch = useAppDispatch();
  const [download, downloadState] = useOrgDownloadBookingsCsvMutation();
  const [notice, setNotice] = useState<Notice | null>(null);
  // The table, the sold counters and the charts: what any change to a booking of this event moves.
  const reload = () =>
    dispatch(organizerApi.util.invalidateTags([{ type: "EventBookings", id: event.id }, { type: "OrganizerEvent", id: event.id }]));
  const actions = useBookingActions({ reload, onNotice: setNotice });

  const pages = list.data?.pages ?? [];
  const bookings = pages.flatMap((p) => p.items);
  const total = pages[0]?.total ?? bookings.length;

  // Live: a booking of this event created, paid, cancelled or partly refunded anywhere reloads
  // the page's figures, throttled.
  const reloadLive = useKeyedThrottle(reload, LIVE_REFETCH_MS);
  const liveStatus = useOrganizerLive(
    {
      onSale: (sale) => sale.event_id === event.id && reloadLive(event.id),
      onResync: () => reloadLive(event.id),
    },
    { organizerId: event.organizer_id },
  );

  function update(next: { q?: string; status?: BookingStatus | null }) {
    setParams((prev) => {
      const out = new URLSearchParams(prev);
      if (next.q !== undefined) (next.q ? out.set("q", next.q) : out.delete("q"));
      if (next.status !== undefined) (next.status ? out.set("status", next.status) : out.delete("status"));
      return out;
    });
  }

  async function exportCsv() {
    setNotice(null);
    const result = await download({ eventId: event.id, slug: event.slug, status });
    if ("error" in result) setNotice({ tone: "error", text: `Couldn't export the bookings. ${describeProblem(result.error).message}` });
    else setNotice({ tone: "success", text: `Downloaded bookings-${event.slug}.csv.` });
  }

  return (
    <>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <h1 className="min-w-0 text-2xl font-bold tracking-tight break-words text-slate-900 sm:text-3xl">{event.title}</h1>
            <EventStatusChip status={event.status} />
            <LiveIndicator status={liveStatus} />
          </div>
          <p className="mt-1 text-sm text-slate-600">
            Bookings · {formatEventDate(event.starts_at, event.timezone)}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link
            to={`/organizer/events/${event.id}/edit`}
            className="inline-flex items-center justify-center rounded-lg bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
          >
            Edit event
          </Link>
          <LoadingButton variant="secondary" loading={downloadState.isLoading} loadingText="Exporting…" onClick={() => void exportCsv()}>
            Export CSV
          </LoadingButton>
        </div>
      </div>

      <SalesOverview event={event} />

      <section aria-labelledby="bookings-list-title" className="mt-8">
        <h2 id="bookings-list-title" className="text-lg font-semibold text-slate-900">
          All bookings
        </h2>
        <SearchWithFilter
          className="mt-3"
          searchLabel="Search bookings"
          placeholder="Customer name or email"
          query={draft}
          onQueryChange={setDraft}
          onSearch={(query) => update({ q: query })}
          searching={list.isFetching && !list.isFetchingNextPage && !list.isLoading}
        >
          <SelectField
            label="Status"
            value={status ?? ""}
            onChange={(e) => update({ status: isBookingStatus(e.target.value) ? e.target.value : null })}
          >
            <BookingStatusOptions />
          </SelectField>
        </SearchWithFilter>

        <div className="mt-4 space-y-4">
          {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
          {list.isLoading ? (
            <div role="status" aria-busy="true" className="space-y-3">
              <span className="sr-only">Loading bookings…</span>
              {[0, 1, 2].map((i) => (
                <div key={i} aria-hidden="true" className="h-14 animate-pulse rounded-xl bg-slate-100" />
              ))}
            </div>
          ) : list.isError && bookings.length === 0 ? (
            <ErrorState
              title="We couldn't load the bookings"
              message={describeProblem(list.error).message}
              onRetry={() => void list.refetch()}
              retrying={list.isFetching}
            />
          ) : bookings.length === 0 ? (
            <EmptyState title={q || status ? "No bookings match" : "No bookings yet"}>
              {q || status ? "Try another name, email or status." : "Bookings appear here as soon as people buy tickets."}
            </EmptyState>
          ) : (
            <>
              <p className="text-sm text-slate-600" aria-live="polite">
                Showing {bookings.length} of {total} {total === 1 ? "booking" : "bookings"}
              </p>
              <BookingsTable
                bookings={bookings}
                caption={`Bookings of ${event.title}`}
                {...actions.tableProps}
              />
              <LoadMore list={list} />
              {list.isError ? <Alert tone="error">{describeProblem(list.error).message}</Alert> : null}
            </>
          )}
        </div>
      </section>

      {actions.dialogs}
    </>
  );
}


/** Figures and charts from the event's confirmed bookings and its ticket types. */
function SalesOverview({ event }: { event: EventRead }) {
  const sales = useOrgEventSalesQuery(event.id);
  const checkins = useOrgCheckinsQuery(event.id);
  const confirmed = sales.data?.bookings ?? [];
  const money = (minor: number) => formatMoney(minor, event.currency);
  const types = orderedTypes(event.ticket_types);
  const sold = types.reduce((sum, t) => sum + (t.sold ?? 0), 0);
  const capacity = types.reduce((sum, t) => sum + t.capacity, 0);
  const revenue = revenueByCurrency(confirmed).get(event.currency) ?? 0;
  // Up to today (or the event's end, if it is over), at least two weeks wide.
  const range = useMemo(() => ({ to: new Date(Math.min(Date.now(), Date.parse(event.ends_at))), minDays: 14 }), [event.ends_at]);
  const perDay = useMemo(() => timeSeries(confirmed, saleDate, () => 1, range), [confirmed, range]);
  const revenuePerDay = useMemo(() => timeSeries(confirmed, saleDate, netMinor, range), [confirmed, range]);
  const tickets = confirmed.reduce((sum, b) => sum + ticketCount(b), 0);
  const unit = perDay.unit === "week" ? "week" : "day";
  const prefix = sales.data && !sales.data.complete ? "≥ " : "";

  return (
    <section aria-labelledby="sales-title" className="mt-6">
      <h2 id="sales-title" className="sr-only">
        Sales
      </h2>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <StatCard label="Tickets sold" value={`${sold}`} detail={`of ${capacity} across ${types.length} ${types.length === 1 ? "type" : "types"}`} />
        <StatCard
          label="Revenue"
          value={sales.isLoading ? "…" : sales.isError ? "—" : `${prefix}${money(revenue)}`}
          detail="Confirmed bookings, minus refunds"
        />
        <StatCard
          label="Confirmed bookings"
          value={sales.isLoading ? "…" : sales.isError ? "—" : String(sales.data?.total ?? 0)}
          detail={sales.data ? `${tickets} tickets` : undefined}
        />
        <StatCard
          label="Checked in"
          value={checkins.isLoading ? "…" : checkins.data ? String(checkins.data.checked_in) : "—"}
          detail={checkins.data ? `of ${checkins.data.sold} tickets` : checkins.isLoading ? undefined : "Not available yet"}
        />
      </dl>

      {sales.isError ? (
        <Alert tone="error" className="mt-4">
          We couldn't load the sales figures. {describeProblem(sales.error).message}
        </Alert>
      ) : null}
      {sales.data && !sales.data.complete ? (
        <p className="mt-3 text-sm text-slate-600">Charts use the {confirmed.length} most recent confirmed bookings.</p>
      ) : null}

      <div className="mt-4 grid gap-4 lg:grid-cols-2">
        <BarChart
          title={`Bookings per ${unit}`}
          data={perDay.data}
          valueLabel="Bookings"
          categoryLabel={unit === "week" ? "Week" : "Day"}
          emptyText={sales.isLoading ? "Loading…" : "No confirmed bookings yet."}
        />
        <BarChart
          title={`Revenue per ${unit}`}
          data={revenuePerDay.data}
          formatValue={money}
          valueLabel={`Revenue (${event.currency})`}
          categoryLabel={unit === "week" ? "Week" : "Day"}
          emptyText={sales.isLoading ? "Loading…" : "No revenue yet."}
        />
        <HorizontalBars
          title="Tickets sold per type"
          className="lg:col-span-2"
          emptyText="This event has no ticket types."
          rows={types.map((t) => ({
            key: t.id,
            label: t.hidden ? `${t.name} (hidden)` : t.name,
            value: t.sold ?? 0,
            max: t.capacity,
            valueText: `${t.sold ?? 0} / ${t.capacity}`,
          }))}
        />
      </div>
    </section>
  );
}
