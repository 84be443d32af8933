import { useRef } from "react";
import { Link, useSearchParams } from "react-router";
import { useAppSelector } from "../../app/hooks";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { LoadingButton } from "../../components/LoadingButton";
import { useFocusOnNavigation } from "../../components/useFocusOnNavigation";
import { usePageTitle } from "../../components/usePageTitle";
import { eventDateParts, formatMoney } from "../../lib/format";
import { selectCurrentUser } from "../auth/authSlice";
import { describeError } from "../auth/problems";
import { formatInZone, formatLocal } from "../events/datetime";
import { useMyBookingsInfiniteQuery, type BookingRead, type BookingStatus } from "./bookingsApi";
import { BookingStatusBadge } from "./BookingStatusBadge";

const FILTERS: { value: BookingStatus | null; label: string; empty: string }[] = [
  { value: null, label: "All", empty: "No bookings yet" },
  { value: "confirmed", label: "Confirmed", empty: "No confirmed bookings" },
  { value: "pending_payment", label: "Awaiting payment", empty: "Nothing awaiting payment" },
  { value: "cancelled", label: "Cancelled", empty: "No cancelled bookings" },
  { value: "expired", label: "Expired", empty: "No expired bookings" },
];

function isStatus(value: string | null): value is BookingStatus {
  return FILTERS.some((f) => f.value !== null && f.value === value);
}

export function MyBookingsPage() {
  usePageTitle("My bookings");
  const user = useAppSelector(selectCurrentUser);
  const [params] = useSearchParams();
  const raw = params.get("status");
  const status = isStatus(raw) ? raw : null;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useFocusOnNavigation(headingRef);

  const query = useMyBookingsInfiniteQuery({ userId: user?.id ?? "", status }, { skip: !user, refetchOnMountOrArgChange: true });
  const bookings = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.total;
  const filter = FILTERS.find((f) => f.value === status) ?? FILTERS[0]!;

  let body;
  if (query.isLoading || (!query.data && !query.isError)) {
    body = (
      <div role="status" aria-busy="true" aria-live="polite">
        <span className="sr-only">Loading your bookings…</span>
        <ul aria-hidden="true" className="space-y-3">
          {[0, 1, 2].map((i) => (
            <li key={i} className="h-24 animate-pulse rounded-2xl bg-slate-200" />
          ))}
        </ul>
      </div>
    );
  } else if (query.isError && bookings.length === 0) {
    body = (
      <ErrorState
        title="We couldn't load your bookings"
        message={describeError(query.error).message}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  } else if (bookings.length === 0) {
    body = (
      <EmptyState title={status ? filter.empty : "No bookings yet — find an event"}>
        {status ? (
          <Link to="/my/bookings" className="font-semibold text-brand-700 hover:underline">
            Show all bookings
          </Link>
        ) : (
          <>
            <p>When you book tickets, they show up here.</p>
            <Link
              to="/"
              className="mt-4 inline-flex rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
            >
              Find an event
            </Link>
          </>
        )}
      </EmptyState>
    );
  } else {
    body = (
      <>
        <p className="sr-only" aria-live="polite">
          Showing {bookings.length} {bookings.length === 1 ? "booking" : "bookings"}
          {total != null ? ` of ${total}` : ""}
        </p>
        <ul role="list" className="space-y-3">
          {bookings.map((b) => (
            <li key={b.id}>
              <BookingCard booking={b} />
            </li>
          ))}
        </ul>
        {query.hasNextPage ? (
          <div className="mt-6 flex flex-col items-center gap-2">
            <LoadingButton
              variant="secondary"
              loading={query.isFetchingNextPage}
              loadingText="Loading…"
              onClick={() => void query.fetchNextPage()}
            >
              Load more
            </LoadingButton>
            {query.isFetchNextPageError ? (
              <p role="alert" className="text-sm text-red-700">
                {describeError(query.error).message}
              </p>
            ) : null}
          </div>
        ) : null}
      </>
    );
  }

  return (
    <div className="mx-auto max-w-4xl px-4 py-8 sm:px-6 lg:px-8">
      <h1 ref={headingRef} tabIndex={-1} className="text-3xl font-bold tracking-tight text-slate-900 focus:outline-none">
        My bookings
      </h1>
      <p className="mt-2 text-slate-600">Your tickets, orders and refunds in one place.</p>

      <nav aria-label="Filter bookings by status" className="mt-6 -mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
        <ul className="flex gap-1 border-b border-slate-200">
          {FILTERS.map((f) => {
            const active = f.value === status;
            return (
              <li key={f.label} className="shrink-0">
                <Link
                  to={f.value ? `/my/bookings?status=${f.value}` : "/my/bookings"}
                  aria-current={active ? "page" : undefined}
                  className={`-mb-px inline-flex border-b-2 px-3 py-2.5 text-sm font-medium whitespace-nowrap ${
                    active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
                  }`}
                >
                  {f.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>

      <div className="mt-6">{body}</div>
    </div>
  );
}

function BookingCard({ booking }: { booking: BookingRead }) {
  const tile = eventDateParts(booking.event_starts_at, booking.event_timezone);
  const count = booking.items.reduce((sum, i) => sum + i.quantity, 0);
  const what = booking.items.map((i) => `${i.quantity} × ${i.ticket_type_name}`).join(", ");
  const pending = booking.status === "pending_payment" && new Date(booking.hold_expires_at) > new Date();
  const headingId = `booking-${booking.id}`;

  return (
    <article
      aria-labelledby={headingId}
      className="relative flex gap-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm transition focus-within:ring-2 focus-within:ring-brand-600 hover:shadow-md sm:p-5"
    >
      <div aria-hidden="true" className="flex w-14 shrink-0 flex-col items-center self-start rounded-xl bg-brand-50 py-2">
        <span className="text-[11px] font-semibold tracking-wide text-brand-700 uppercase">{tile.month}</span>
        <span className="text-xl leading-none font-bold text-slate-900">{tile.day}</span>
      </div>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
          <h2 id={headingId} className="min-w-0 text-base font-semibold break-words text-slate-900">
            <Link
              to={`/bookings/${booking.id}`}
              className="after:absolute after:inset-0 after:content-[''] hover:text-brand-700 focus:outline-none focus-visible:outline-none"
            >
              {booking.event_title}
            </Link>
          </h2>
          <BookingStatusBadge status={booking.status} />
        </div>
        <p className="mt-1 text-sm text-slate-600">
          <time dateTime={booking.event_starts_at}>{formatInZone(booking.event_starts_at, booking.event_timezone)}</time>
        </p>
        <p className="mt-1 text-sm break-words text-slate-700">
          <span className="sr-only">{count} tickets: </span>
          {what}
        </p>
        <p className="mt-0.5 text-xs text-slate-500">
          Ref. <span className="font-mono">{booking.id.slice(0, 8).toUpperCase()}</span> · booked {formatLocal(booking.created_at)}
        </p>
        <div className="mt-2 flex flex-wrap items-center justify-between gap-2">
          <p className="text-sm font-semibold text-slate-900 tabular-nums">
            {booking.total_minor === 0 ? "Free" : formatMoney(booking.total_minor, booking.currency)}
            {booking.refunded_minor > 0 ? (
              <span className="ml-2 font-normal text-slate-600">
                ({formatMoney(booking.refunded_minor, booking.currency)} refunded)
              </span>
            ) : null}
          </p>
          {pending ? (
            <Link
              to={`/checkout/${booking.id}`}
              className="relative z-10 inline-flex rounded-lg bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
            >
              Complete payment
            </Link>
          ) : null}
        </div>
      </div>
    </article>
  );
}
