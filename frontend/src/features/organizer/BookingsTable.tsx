import { useEffect, useId, useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { LoadingButton } from "../../components/LoadingButton";
import { Spinner } from "../../components/Spinner";
import { formatMoney } from "../../lib/format";
import { formatDateTime } from "../account/time";
import type { TicketRefundResult } from "../bookings/bookingsApi";
import type { BookingRead } from "./organizerApi";
import { itemsText } from "./sales";
import { BookingStatusChip } from "./StatusChip";

const th = "px-4 py-3 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase";
// Below `lg` each row is a card: cells stack and show their own labels.
const td = "block px-0 py-1 lg:table-cell lg:px-4 lg:py-3 lg:align-top";
const cellLabel = "mb-0.5 block text-xs font-semibold tracking-wide text-slate-600 uppercase lg:hidden";

export function customerName(b: BookingRead): string {
  return b.customer_name?.trim() || b.customer_email || "Unknown customer";
}

/** What to say after cancelling `before`; refunds of paid bookings may finish a moment later. */
export function cancelledMessage(before: BookingRead, after: BookingRead): { text: string; refundPending: boolean } {
  const owed = before.total_minor - before.refunded_minor;
  const paid = before.status === "confirmed" && owed > 0;
  if (!paid) return { text: `The booking of ${customerName(before)} is cancelled.`, refundPending: false };
  if (after.refunded_minor >= before.total_minor) {
    return {
      text: `The booking of ${customerName(before)} is cancelled and ${formatMoney(owed, after.currency)} was refunded.`,
      refundPending: false,
    };
  }
  return {
    text: `The booking of ${customerName(before)} is cancelled. The refund of ${formatMoney(owed, after.currency)} is being processed.`,
    refundPending: true,
  };
}

/** What to say after refunding some tickets of `before`. */
export function ticketsRefundedMessage(before: BookingRead, result: TicketRefundResult): string {
  const n = result.ticket_ids.length;
  const tickets = `${n} ${n === 1 ? "ticket" : "tickets"}`;
  const cancelled = result.booking.status === "cancelled" ? " That was every remaining ticket, so the booking is cancelled." : "";
  return result.amount_minor > 0
    ? `Refunded ${tickets} of ${customerName(before)}: ${formatMoney(result.amount_minor, before.currency)} is being paid back.${cancelled}`
    : `Cancelled ${tickets} of ${customerName(before)}.${cancelled}`;
}

export function canCancel(b: BookingRead): boolean {
  return b.status === "confirmed" || b.status === "pending_payment";
}

/** Confirmed bookings can have some of their tickets refunded. */
export function canRefundTickets(b: BookingRead): boolean {
  return b.status === "confirmed";
}

/** Bookings as a table on wide screens and as cards on phones. */
export function BookingsTable({
  bookings,
  caption,
  showEvent = false,
  busy,
  onCancel,
  onRefundTickets,
}: {
  bookings: readonly BookingRead[];
  caption: string;
  showEvent?: boolean;
  busy: ReadonlySet<string>;
  onCancel?: (booking: BookingRead) => void;
  /** Offers "Refund tickets" (choose some tickets of a confirmed booking). */
  onRefundTickets?: (booking: BookingRead) => void;
}) {
  const actions = onCancel !== undefined || onRefundTickets !== undefined;
  return (
    <table className="block w-full lg:table lg:overflow-hidden lg:rounded-2xl lg:border lg:border-slate-200 lg:bg-white lg:shadow-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="hidden bg-slate-50 lg:table-header-group">
        <tr>
          <th scope="col" className={th}>
            Created
          </th>
          <th scope="col" className={th}>
            Customer
          </th>
          {showEvent ? (
            <th scope="col" className={th}>
              Event
            </th>
          ) : null}
          <th scope="col" className={th}>
            Items
          </th>
          <th scope="col" className={`${th} text-right`}>
            Total
          </th>
          <th scope="col" className={th}>
            Status
          </th>
          <th scope="col" className={`${th} text-right`}>
            Refunded
          </th>
          {actions ? (
            <th scope="col" className={`${th} text-right`}>
              <span className="sr-only">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody className="grid gap-3 lg:table-row-group lg:divide-y lg:divide-slate-100">
        {bookings.map((b) => {
          const isBusy = busy.has(b.id);
          return (
            <tr
              key={b.id}
              aria-busy={isBusy || undefined}
              className="grid grid-cols-3 gap-x-4 gap-y-2 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm lg:table-row lg:rounded-none lg:border-0 lg:p-0 lg:shadow-none"
            >
              <td className={`${td} col-span-3 lg:w-40`}>
                <span className={cellLabel}>Created</span>
                <time dateTime={b.created_at} className="text-sm text-slate-700">
                  {formatDateTime(b.created_at)}
                </time>
              </td>
              <td className={`${td} col-span-3 min-w-0`}>
                <span className={cellLabel}>Customer</span>
                <div className="font-medium break-words text-slate-900">{customerName(b)}</div>
                {b.customer_email && b.customer_name ? <div className="text-sm break-all text-slate-600">{b.customer_email}</div> : null}
              </td>
              {showEvent ? (
                <td className={`${td} col-span-3 min-w-0`}>
                  <span className={cellLabel}>Event</span>
                  <div className="text-sm break-words text-slate-800">{b.event_title}</div>
                </td>
              ) : null}
              <td className={`${td} col-span-3 min-w-0 text-sm text-slate-700`}>
                <span className={cellLabel}>Items</span>
                <span className="break-words">{itemsText(b) || "—"}</span>
                {b.coupon_code ? <span className="block text-xs text-slate-600">Coupon {b.coupon_code}</span> : null}
              </td>
              <td className={`${td} text-sm lg:text-right`}>
                <span className={cellLabel}>Total</span>
                <span className="font-medium text-slate-900 tabular-nums">{formatMoney(b.total_minor, b.currency)}</span>
                {b.discount_minor ? (
                  <span className="block text-xs text-slate-600">−{formatMoney(b.discount_minor, b.currency)} discount</span>
                ) : null}
              </td>
              <td className={td}>
                <span className={cellLabel}>Status</span>
                <BookingStatusChip status={b.status} />
                {isBusy ? (
                  <span className="ml-2 inline-flex items-center gap-1 text-xs text-slate-600">
                    <Spinner className="h-3.5 w-3.5" /> Working…
                  </span>
                ) : null}
              </td>
              <td className={`${td} text-sm lg:text-right`}>
                <span className={cellLabel}>Refunded</span>
                <span className="text-slate-700 tabular-nums">{b.refunded_minor ? formatMoney(b.refunded_minor, b.currency) : "—"}</span>
              </td>
              {actions ? (
                <td className={`${td} col-span-3 lg:text-right`}>
                  <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap lg:justify-end">
                    {onRefundTickets && canRefundTickets(b) ? (
                      <LoadingButton
                        size="sm"
                        variant="secondary"
                        disabled={isBusy}
                        onClick={() => onRefundTickets(b)}
                        aria-haspopup="dialog"
                        aria-label={`Refund some tickets of the booking of ${customerName(b)}`}
                        className="w-full sm:w-auto"
                      >
                        Refund tickets
                      </LoadingButton>
                    ) : null}
                    {onCancel && canCancel(b) ? (
                      <LoadingButton
                        size="sm"
                        variant="danger-secondary"
                        disabled={isBusy}
                        onClick={() => onCancel(b)}
                        aria-label={`${b.status === "confirmed" && b.total_minor > 0 ? "Refund and cancel" : "Cancel"} the booking of ${customerName(b)}`}
                        className="w-full sm:w-auto"
                      >
                        {b.status === "confirmed" && b.total_minor > 0 ? (onRefundTickets ? "Refund all" : "Refund") : "Cancel"}
                      </LoadingButton>
                    ) : null}
                  </div>
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Confirms cancelling (and refunding) one booking, with an optional reason for the customer. */
export function CancelBookingDialog({
  booking,
  busy,
  onConfirm,
  onCancel,
}: {
  booking: BookingRead | null;
  busy: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const id = useId();
  useEffect(() => setReason(""), [booking?.id]);
  const paid = booking !== null && booking.status === "confirmed" && booking.total_minor > 0;
  return (
    <ConfirmDialog
      open={booking !== null}
      title={booking ? `${paid ? "Refund and cancel" : "Cancel"} the booking of ${customerName(booking)}?` : ""}
      confirmLabel={paid ? "Refund and cancel" : "Cancel booking"}
      cancelLabel="Keep booking"
      tone="danger"
      busy={busy}
      onConfirm={() => onConfirm(reason.trim())}
      onCancel={onCancel}
    >
      {booking ? (
        <>
          <p>
            {paid ? (
              <>
                <strong className="font-semibold text-slate-900">{formatMoney(booking.total_minor - booking.refunded_minor, booking.currency)}</strong> is
                refunded to the customer, the tickets stop working and the seats go back on sale.
              </>
            ) : (
              <>The tickets stop working and the seats go back on sale.</>
            )}
          </p>
          <label htmlFor={id} className="mt-4 block text-sm font-medium text-slate-800">
            Reason for the customer (optional)
          </label>
          <input
            id={id}
            type="text"
            maxLength={200}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            className="mt-1.5 block w-full rounded-lg border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-600 focus:outline-none"
          />
        </>
      ) : null}
    </ConfirmDialog>
  );
}
