import type { BookingStatus, EventStatus } from "./organizerApi";

const chip = "inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset";

const EVENT_STYLES: Record<EventStatus, { label: string; className: string }> = {
  draft: { label: "Draft", className: "bg-slate-100 text-slate-800 ring-slate-300" },
  published: { label: "Published", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  cancelled: { label: "Cancelled", className: "bg-red-50 text-red-800 ring-red-200" },
  completed: { label: "Completed", className: "bg-brand-50 text-brand-800 ring-brand-100" },
};

export function EventStatusChip({ status }: { status: EventStatus }) {
  const style = EVENT_STYLES[status];
  return <span className={`${chip} ${style.className}`}>{style.label}</span>;
}

export const BOOKING_STATUS_LABELS: Record<BookingStatus, string> = {
  pending_payment: "Awaiting payment",
  confirmed: "Confirmed",
  cancelled: "Cancelled",
  expired: "Expired",
};

export const BOOKING_STATUSES = Object.keys(BOOKING_STATUS_LABELS) as BookingStatus[];

export const isBookingStatus = (value: string | null): value is BookingStatus =>
  value !== null && (BOOKING_STATUSES as string[]).includes(value);

/** The options of a booking-status filter: "All statuses" (empty value), then each status. */
export function BookingStatusOptions() {
  return (
    <>
      <option value="">All statuses</option>
      {BOOKING_STATUSES.map((s) => (
        <option key={s} value={s}>
          {BOOKING_STATUS_LABELS[s]}
        </option>
      ))}
    </>
  );
}

const BOOKING_STYLES: Record<BookingStatus, string> = {
  pending_payment: "bg-amber-50 text-amber-900 ring-amber-300",
  confirmed: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  cancelled: "bg-red-50 text-red-800 ring-red-200",
  expired: "bg-slate-100 text-slate-700 ring-slate-300",
};

export function BookingStatusChip({ status }: { status: BookingStatus }) {
  return <span className={`${chip} ${BOOKING_STYLES[status]}`}>{BOOKING_STATUS_LABELS[status]}</span>;
}
