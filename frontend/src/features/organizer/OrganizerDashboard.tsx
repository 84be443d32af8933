import { useMemo, useState } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router";
import { useAppSelector } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { LiveIndicator } from "../../components/LiveIndicator";
import { LoadingButton } from "../../components/LoadingButton";
import { ProgressBar } from "../../components/ProgressBar";
import { StatCard } from "../../components/StatCard";
import { usePageTitle } from "../../components/usePageTitle";
import { formatEventDate, formatMoney } from "../../lib/format";
import { CancelEventDialog } from "./CancelEventDialog";
import { followsCheckins, selectCheckedIn, selectRevenueText, useDashboardLive } from "./dashboardLive";
import { describeProblem, fieldLines } from "./errors";
import { EVENT_FIELD_LABELS } from "./eventForm";
import { LiveActivity } from "./LiveActivity";
import {
  useOrgCancelEventMutation,
  useOrgCheckinsQuery,
  useOrgEventSalesQuery,
  useOrgMyEventsInfiniteQuery,
  useOrgPublishEventMutation,
  type EventStatus,
  type MyEventSummary,
} from "./organizerApi";
import { revenueByCurrency } from "./sales";
import { EventStatusChip } from "./StatusChip";
import { LoadMore } from "../../components/LoadMore";

const FILTERS: { value: EventStatus | ""; label: string }[] = [
  { value: "", label: "All" },
  { value: "draft", label: "Drafts" },
  { value: "published", label: "Published" },
  { value: "cancelled", label: "Cancelled" },
  { value: "completed", label: "Completed" },
];

function isStatus(value: string | null): value is EventStatus {
  return value === "draft" || value === "published" || value === "cancelled" || value === "completed";
}

/** Upcoming events first, soonest first; then past ones, most recent first. */
export function dashboardOrder(events: readonly MyEventSummary[], now = Date.now()): MyEventSummary[] {
  const upcoming = events.filter((e) => new Date(e.ends_at).getTime() > now);
  const past = events.filter((e) => new Date(e.ends_at).getTime() <= now);
  upcoming.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  past.sort((a, b) => b.starts_at.localeCompare(a.starts_at));
  return [...upcoming, ...past];
}

type Notice = { tone: "success" | "error"; title: string; lines?: string[]; eventId?: string };

export function OrganizerDashboard() {
  usePageTitle("My events");
  const [params, setParams] = useSearchParams();
  const statusParam = params.get("status");
  const status = isStatus(statusParam) ? statusParam : null;
  const list = useOrgMyEventsInfiniteQuery({ status });
  const location = useLocation();
  const navigate = useNavigate();
  const [notice, setNotice] = useState<Notice | null>(() => {
    const text = (location.state as { notice?: string } | null)?.notice;
    return text ? { tone: "success", title: text } : null;
  });
  const [cancelling, setCancelling] = useState<MyEventSummary | null>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [publish] = useOrgPublishEventMutation();
  const [cancel, cancelState] = useOrgCancelEventMutation();

  const events = useMemo(() => dashboardOrder((list.data?.pages ?? []).flatMap((p) => p.items)), [list.data]);
  const upcoming = events.filter((e) => new Date(e.ends_at).getTime() > Date.now() && e.status === "published").length;
  const sold = events.reduce((sum, e) => sum + e.tickets_sold, 0);
  const held = events.reduce((sum, e) => sum + e.tickets_held, 0);
  const live = useDashboardLive(events);
  const checkedIn = useAppSelector((state) => selectCheckedIn(state, events));
  const revenue = useAppSelector((state) => selectRevenueText(state, events));

  async function doPublish(event: MyEventSummary) {
    setNotice(null);
    setBusyId(event.id);
    const result = await publish({ id: event.id, etag: `"${event.version}"` });
    setBusyId(null);
    if ("data" in result) {
      setNotice({ tone: "success", title: `“${event.title}” is published and on sale.` });
      return;
    }
    const problem = describeProblem(result.error);
    setNotice({
      tone: "error",
      title:
        problem.status === 412
          ? "This event changed since the list loaded. Try again."
          : problem.code === "event_incomplete"
            ? `“${event.title}” isn't ready to publish yet:`
            : `Couldn't publish “${event.title}”. ${problem.message}`,
      lines: fieldLines(problem.fields, EVENT_FIELD_LABELS),
      eventId: event.id,
    });
    if (problem.status === 412) void list.refetch();
  }

  async function doCancel(reason: string) {
    if (!cancelling) return;
    setCancelError(null);
    const result = await cancel({ id: cancelling.id, etag: `"${cancelling.version}"`, reason });
    if ("data" in result) {
      const id = cancelling.id;
      setCancelling(null);
      navigate(`/organizer/events/${id}/edit`, { state: { cancelled: true } });
      return;
    }
    setCancelError(describeProblem(result.error).message);
  }

  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8 lg:px-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">My events</h1>
            <LiveIndicator status={live.status} />
          </div>
          {events.length > 0 ? (
            <p className="mt-1 text-sm text-slate-600">
              {upcoming} upcoming on sale
            </p>
          ) : null}
        </div>
        <Link
          to="/organizer/events/new"
          className="inline-flex items-center justify-center rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
        >
          New event
        </Link>
      </div>

      {events.length > 0 ? (
        <div className="mt-6 grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <dl className="grid grid-cols-1 gap-4 min-[480px]:grid-cols-3">
            <StatCard
              label="Tickets sold"
              value={`${sold}`}
              detail={held > 0 ? `${held} held in checkouts` : undefined}
              testId="live-sold-count"
            />
            <StatCard label="Checked in" value={`${checkedIn}`} detail={`of ${sold} sold`} testId="live-checkins-count" />
            <StatCard label="Revenue" value={revenue ?? "—"} detail="Confirmed, net of refunds" testId="live-revenue" />
          </dl>
          <LiveActivity activity={live.activity} events={events} live={live.status === "live"} />
        </div>
      ) : null}

      <nav aria-label="Filter by status" className="mt-6 -mx-4 overflow-x-auto px-4">
        <ul className="flex gap-2">
          {FILTERS.map((f) => {
            const active = (status ?? "") === f.value;
            return (
              <li key={f.label}>
                <button
                  type="button"
                  aria-pressed={active}
                  onClick={() =>
                    setParams((prev) => {
                      const next = new URLSearchParams(prev);
                      if (f.value) next.set("status", f.value);
                      else next.delete("status");
                      return next;
                    })
                  }
                  className={`rounded-full px-3 py-1.5 text-sm font-medium whitespace-nowrap ring-1 ring-inset ${
                    active ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"
                  }`}
                >
                  {f.label}
                </button>
              </li>
            );
          })}
        </ul>
      </nav>

      <div className="mt-6 space-y-4">
        {notice ? (
          <Alert
            tone={notice.tone}
            title={notice.title}
            action={
              notice.eventId ? (
                <Link to={`/organizer/events/${notice.eventId}/edit`} className="text-sm font-semibold text-brand-700 underline">
                  Open the editor
                </Link>
              ) : undefined
            }
          >
            {notice.lines?.length ? (
              <ul className="list-disc pl-5">
                {notice.lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}

        {list.isLoading ? (
          <div role="status" aria-busy="true" className="grid gap-4 md:grid-cols-2">
            <span className="sr-only">Loading your events…</span>
            {[0, 1, 2, 3].map((i) => (
              <div key={i} aria-hidden="true" className="h-56 animate-pulse rounded-2xl bg-slate-100" />
            ))}
          </div>
        ) : list.isError && events.length === 0 ? (
          <ErrorState
            title="We couldn't load your events"
            message={describeProblem(list.error).message}
            onRetry={() => void list.refetch()}
            retrying={list.isFetching}
          />
        ) : events.length === 0 ? (
          status ? (
            <EmptyState title="No events with this status">Choose another filter to see your other events.</EmptyState>
          ) : (
            <EmptyState title="Create your first event">
              <p>Set up the details, add ticket types, and publish when you're ready.</p>
              <Link
                to="/organizer/events/new"
                className="mt-6 inline-flex rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
              >
                Create your first event
              </Link>
            </EmptyState>
          )
        ) : (
          <>
            <ul className="grid gap-4 md:grid-cols-2" aria-label="Your events">
              {events.map((event) => (
                <li key={event.id} className="min-w-0">
                  <EventCard
                    event={event}
                    busy={busyId === event.id}
                    onPublish={() => void doPublish(event)}
                    onCancel={() => {
                      setCancelError(null);
                      setCancelling(event);
                    }}
                  />
                </li>
              ))}
            </ul>
            <LoadMore list={list} />
          </>
        )}
      </div>

      <CancelEventDialog
        open={cancelling !== null}
        title={cancelling?.title ?? ""}
        busy={cancelState.isLoading}
        error={cancelError}
        onConfirm={(reason) => void doCancel(reason)}
        onCancel={() => setCancelling(null)}
      />
    </div>
  );
}

const action =
  "inline-flex items-center justify-center rounded-lg bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50";

function EventCard({
  event,
  busy,
  onPublish,
  onCancel,
}: {
  event: MyEventSummary;
  busy: boolean;
  onPublish: () => void;
  onCancel: () => void;
}) {
  const upcoming = new Date(event.ends_at).getTime() > Date.now();
  const place = event.is_online && !event.venue_name ? "Online" : [event.venue_name, event.city].filter(Boolean).join(", ");
  const titleId = `event-${event.id}-title`;
  return (
    <article aria-labelledby={titleId} className="flex h-full flex-col rounded-2xl border border-slate-200 bg-white shadow-sm">
      <div className="flex gap-4 p-4 sm:p-5">
        <div className="hidden h-20 w-28 shrink-0 overflow-hidden rounded-lg bg-slate-100 sm:block" aria-hidden="true">
          {event.cover_image_url ? <img src={event.cover_image_url} alt="" className="h-full w-full object-cover" /> : null}
        </div>
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-start justify-between gap-2">
            <h2 id={titleId} className="min-w-0 text-base font-semibold break-words text-slate-900">
              <Link to={`/organizer/events/${event.id}/edit`} className="hover:underline">
                {event.title}
              </Link>
            </h2>
            <EventStatusChip status={event.status} />
          </div>
          <p className="mt-1 text-sm text-slate-600">
            <time dateTime={event.starts_at}>{formatEventDate(event.starts_at, event.timezone)}</time>
          </p>
          {place ? <p className="truncate text-sm text-slate-600">{place}</p> : null}
        </div>
      </div>

      <dl className="grid grid-cols-2 gap-4 border-t border-slate-100 px-4 py-4 sm:px-5">
        <div className="min-w-0">
          <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Tickets sold</dt>
          <dd className="mt-1">
            <span className="text-lg font-semibold text-slate-900 tabular-nums">{event.tickets_sold}</span>
            <span className="text-sm text-slate-600"> / {event.capacity}</span>
            <ProgressBar
              className="mt-2"
              value={event.tickets_sold}
              max={event.capacity}
              label={`Tickets sold for ${event.title}`}
              valueText={`${event.tickets_sold} of ${event.capacity} sold`}
            />
            {event.tickets_held ? <span className="mt-1 block text-xs text-slate-600">{event.tickets_held} held in checkouts</span> : null}
            {followsCheckins(event) ? <CheckedIn eventId={event.id} /> : null}
          </dd>
        </div>
        <div className="min-w-0">
          <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase">Revenue</dt>
          <dd className="mt-1">
            {event.status === "draft" ? (
              <span className="text-lg font-semibold text-slate-400">—</span>
            ) : (
              <Revenue eventId={event.id} currency={event.currency} />
            )}
          </dd>
        </div>
      </dl>

      <div className="mt-auto flex flex-wrap gap-2 border-t border-slate-100 px-4 py-3 sm:px-5">
        <Link to={`/organizer/events/${event.id}/edit`} className={action} aria-label={`Edit ${event.title}`}>
          Edit
        </Link>
        <Link to={`/events/${event.slug}`} className={action} aria-label={`View the public page of ${event.title}`}>
          {event.status === "draft" ? "Preview" : "View page"}
        </Link>
        {event.status !== "draft" ? (
          <Link to={`/organizer/events/${event.id}/bookings`} className={action} aria-label={`Bookings of ${event.title}`}>
            Bookings
          </Link>
        ) : null}
        {event.status === "draft" ? (
          <LoadingButton size="sm" loading={busy} loadingText="Publishing…" onClick={onPublish} aria-label={`Publish ${event.title}`}>
            Publish
          </LoadingButton>
        ) : null}
        {event.status === "published" && upcoming ? (
          <LoadingButton size="sm" variant="danger-secondary" onClick={onCancel} aria-label={`Cancel ${event.title}`}>
            Cancel
          </LoadingButton>
        ) : null}
      </div>
    </article>
  );
}

/** Net revenue of the event's confirmed bookings (totals minus refunds). */
function Revenue({ eventId, currency }: { eventId: string; currency: string }) {
  const sales = useOrgEventSalesQuery(eventId);
  if (sales.isLoading) {
    return (
      <span className="block h-7 w-20 animate-pulse rounded bg-slate-100">
        <span className="sr-only">Loading revenue…</span>
      </span>
    );
  }
  if (sales.isError || !sales.data) return <span className="text-sm text-slate-600">Not available</span>;
  const amount = revenueByCurrency(sales.data.bookings).get(currency) ?? 0;
  return (
    <>
      <span className="text-lg font-semibold text-slate-900 tabular-nums">
        {sales.data.complete ? "" : "≥ "}
        {formatMoney(amount, currency)}
      </span>
      <span className="block text-xs text-slate-600">
        {sales.data.total} confirmed {sales.data.total === 1 ? "booking" : "bookings"}
      </span>
    </>
  );
}

/** Door check-ins of the event (kept current by the dashboard's live connection). */
function CheckedIn({ eventId }: { eventId: string }) {
  const checkins = useOrgCheckinsQuery(eventId);
  if (!checkins.data) return null;
  return (
    <span className="mt-1 block text-xs text-slate-600" data-testid={`live-checkins-${eventId}`}>
      {checkins.data.checked_in} checked in
    </span>
  );
}
