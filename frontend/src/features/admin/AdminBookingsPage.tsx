import { useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { useAppDispatch } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { LoadingButton } from "../../components/LoadingButton";
import { SelectField } from "../../components/SelectField";
import { TextField } from "../../components/TextField";
import { usePageTitle } from "../../components/usePageTitle";
import { BookingsTable } from "../organizer/BookingsTable";
import { useBookingActions, type Notice } from "../organizer/useBookingActions";
import { describeProblem } from "../organizer/errors";
import { BookingStatusOptions, isBookingStatus } from "../organizer/StatusChip";
import { AdminNav } from "./AdminNav";
import { adminApi, useAdminBookingsInfiniteQuery, type AdminBookingFilters } from "./adminApi";
import { LoadMore } from "../../components/LoadMore";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Draft {
  status: string;
  event_id: string;
  customer: string;
  from: string;
  to: string;
}

/** A `YYYY-MM-DD` day in the viewer's timezone as the instant it starts (`plusDays` later). */
function dayStart(day: string, plusDays = 0): string | null {
  if (!DATE.test(day)) return null;
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

function draftFrom(params: URLSearchParams): Draft {
  return {
    status: params.get("status") ?? "",
    event_id: params.get("event") ?? "",
    customer: params.get("customer") ?? "",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
  };
}

/** `/admin/bookings`: every booking on the platform, filtered. */
export function AdminBookingsPage() {
  usePageTitle("All bookings");
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => draftFrom(params), [params]);
  const [draft, setDraft] = useState<Draft>(applied);
  useEffect(() => setDraft(applied), [applied]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const filters = useMemo<AdminBookingFilters>(
    () => ({
      status: isBookingStatus(applied.status) ? applied.status : null,
      event_id: UUID.test(applied.event_id) ? applied.event_id : null,
      customer: applied.customer || null,
      created_from: dayStart(applied.from),
      created_to: dayStart(applied.to, 1),
    }),
    [applied],
  );
  const list = useAdminBookingsInfiniteQuery(filters);
  const dispatch = useAppDispatch();
  const [notice, setNotice] = useState<Notice | null>(null);
  const actions = useBookingActions({
    reload: () => dispatch(adminApi.util.invalidateTags(["AdminBookings"])),
    onNotice: setNotice,
  });
  const formId = useId();

  const pages = list.data?.pages ?? [];
  const bookings = pages.flatMap((p) => p.items);
  const total = pages[0]?.total ?? bookings.length;
  const filtered = Object.values(applied).some(Boolean);

  function apply(e: FormEvent) {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (draft.event_id.trim() && !UUID.test(draft.event_id.trim())) next.event_id = "Paste an event id (a UUID), or leave it empty.";
    if (draft.from && draft.to && draft.to < draft.from) next.to = "Must be on or after the start date.";
    setErrors(next);
    if (Object.keys(next).length) return;
    const out = new URLSearchParams();
    if (draft.status) out.set("status", draft.status);
    if (draft.event_id.trim()) out.set("event", draft.event_id.trim());
    if (draft.customer.trim()) out.set("customer", draft.customer.trim());
    if (draft.from) out.set("from", draft.from);
    if (draft.to) out.set("to", draft.to);
    setParams(out);
  }

  const set = (key: keyof Draft) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value })),
    error: errors[key],
  });

  return (
    <>
      <AdminNav />
      <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8 lg:px-8">
        <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">All bookings</h1>
        <p className="mt-1 text-sm text-slate-600">Every booking on the platform, newest first.</p>

        <form id={formId} role="search" aria-label="Filter bookings" onSubmit={apply} noValidate className="mt-6 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
            <SelectField label="Status" {...set("status")}>
              <BookingStatusOptions />
            </SelectField>
            <TextField label="Customer email" type="search" autoComplete="off" placeholder="contains…" {...set("customer")} />
            <TextField label="Event id" autoComplete="off" spellCheck={false} placeholder="UUID" {...set("event_id")} />
            <TextField label="Created from" type="date" {...set("from")} />
            <TextField label="Created to" type="date" {...set("to")} />
          </div>
          <div className="mt-4 flex flex-wrap justify-end gap-2">
            {filtered ? (
              <button
                type="button"
                onClick={() => {
                  setErrors({});
                  setParams(new URLSearchParams());
                }}
                className="inline-flex items-center justify-center rounded-lg px-4 py-2.5 text-sm font-semibold text-slate-700 hover:bg-slate-100"
              >
                Clear filters
              </button>
            ) : null}
            <LoadingButton type="submit" loading={list.isFetching && !list.isFetchingNextPage && !list.isLoading}>
              Apply filters
            </LoadingButton>
          </div>
        </form>

        <div className="mt-6 space-y-4">
          {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
          {list.isLoading ? (
            <div role="status" aria-busy="true" className="space-y-3">
              <span className="sr-only">Loading bookings…</span>
              {[0, 1, 2, 3].map((i) => (
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
            <EmptyState title={filtered ? "No bookings match" : "No bookings yet"}>
              {filtered ? "Try other filters." : "Bookings appear here as soon as anyone buys a ticket."}
            </EmptyState>
          ) : (
            <>
              <p className="text-sm text-slate-600" aria-live="polite">
                Showing {bookings.length} of {total} {total === 1 ? "booking" : "bookings"}
              </p>
              <BookingsTable
                bookings={bookings}
                caption="All bookings"
                showEvent
                {...actions.tableProps}
              />
              <LoadMore list={list} />
              {list.isError ? <Alert tone="error">{describeProblem(list.error).message}</Alert> : null}
            </>
          )}
        </div>
      </div>
      {actions.dialogs}
    </>
  );
}
