import { useEffect, useId, useState, type ReactNode } from "react";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Spinner } from "../../components/Spinner";
import { formatMoney } from "../../lib/format";
import { describeError } from "../auth/problems";
import type { BookingRead } from "./bookingsApi";
import { useBookingTicketsQuery, type TicketRead } from "./ticketsApi";

export interface TicketRefundChoice {
  ticketIds: string[];
  /** What the server will pay back for them (its `paid_minor` per ticket). */
  amountMinor: number;
  /** Every ticket still valid is chosen: the booking will be cancelled. */
  cancelsBooking: boolean;
  reason: string;
}

/** Why a ticket cannot be chosen, or null when it can. */
function unavailable(ticket: TicketRead, staff: boolean): string | null {
  if (ticket.status === "void") return "Refunded";
  if (ticket.status === "checked_in" && !staff) return "Used at the door";
  return null;
}

/**
 * Choose tickets of a booking to refund, with the amount that comes back. Customers may choose
 * valid tickets; the organizer and admins (`staff`) checked-in ones too, and give a reason.
 */
export function RefundTicketsDialog({
  open,
  booking,
  staff = false,
  title,
  busy,
  note,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  booking: BookingRead;
  staff?: boolean;
  title: string;
  busy: boolean;
  /** E.g. the refund policy, under the list. */
  note?: ReactNode;
  onConfirm: (choice: TicketRefundChoice) => void;
  onCancel: () => void;
}) {
  const tickets = useBookingTicketsQuery(booking.id, { skip: !open });
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [reason, setReason] = useState("");
  const legendId = useId();
  const reasonId = useId();
  useEffect(() => {
    if (open) {
      setChosen(new Set());
      setReason("");
    }
  }, [open, booking.id]);

  const list = tickets.data ?? [];
  const choosable = list.filter((t) => unavailable(t, staff) === null);
  const picked = list.filter((t) => chosen.has(t.id) && unavailable(t, staff) === null);
  const amount = picked.reduce((sum, t) => sum + (t.paid_minor ?? 0), 0);
  const live = list.filter((t) => t.status !== "void");
  const cancelsBooking = picked.length > 0 && picked.length === live.length;
  const money = (minor: number) => formatMoney(minor, booking.currency);
  const count = (n: number) => `${n} ${n === 1 ? "ticket" : "tickets"}`;

  function toggle(id: string) {
    setChosen((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  let body: ReactNode;
  if (tickets.isLoading || (open && tickets.isUninitialized)) {
    body = (
      <div role="status" className="flex items-center gap-2 text-slate-600">
        <Spinner className="h-4 w-4 text-brand-600" /> Loading the tickets…
      </div>
    );
  } else if (tickets.isError) {
    body = (
      <div>
        <p role="alert" className="text-red-800">
          We couldn't load the tickets. {describeError(tickets.error).message}
        </p>
        <Button variant="secondary" className="mt-2" onClick={() => void tickets.refetch()} disabled={tickets.isFetching}>
          {tickets.isFetching ? "Loading…" : "Try again"}
        </Button>
      </div>
    );
  } else if (choosable.length === 0) {
    body = <p>There are no tickets left that can be refunded here.</p>;
  } else {
    body = (
      <>
        <fieldset aria-labelledby={legendId}>
          <legend id={legendId} className="font-medium text-slate-800">
            Choose the tickets to refund
          </legend>
          <ul role="list" className="mt-2 max-h-72 divide-y divide-slate-100 overflow-y-auto rounded-lg border border-slate-200">
            {list.map((ticket) => {
              const why = unavailable(ticket, staff);
              const inputId = `refund-${ticket.id}`;
              return (
                <li key={ticket.id} className={`flex items-start gap-3 px-3 py-2.5 ${why ? "bg-slate-50" : ""}`}>
                  <input
                    id={inputId}
                    type="checkbox"
                    className="mt-1 h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-600"
                    checked={chosen.has(ticket.id) && !why}
                    disabled={why !== null || busy}
                    onChange={() => toggle(ticket.id)}
                    aria-describedby={`${inputId}-about`}
                  />
                  <label htmlFor={inputId} className="min-w-0 flex-1">
                    <span className="block font-medium break-words text-slate-900">
                      {ticket.ticket_type_name}
                      {ticket.attendee_name ? ` · ${ticket.attendee_name}` : ""}
                    </span>
                    <span id={`${inputId}-about`} className="block text-xs text-slate-600">
                      Ticket <span className="font-mono">{ticket.code.slice(-9)}</span>
                      {ticket.status === "checked_in" ? " · checked in" : ""}
                      {why ? ` · ${why}` : ""}
                    </span>
                  </label>
                  <span className="shrink-0 font-medium text-slate-900 tabular-nums">
                    {ticket.paid_minor ? money(ticket.paid_minor) : "Free"}
                  </span>
                </li>
              );
            })}
          </ul>
        </fieldset>
        <p aria-live="polite" className="mt-3 text-slate-800">
          {picked.length === 0 ? (
            "No tickets chosen yet."
          ) : (
            <>
              {count(picked.length)} chosen. Refund: <strong className="font-semibold text-slate-900">{money(amount)}</strong>
              {amount > 0 ? (staff ? " to the customer's original payment method." : " to your original payment method.") : "."}
              {cancelsBooking ? " That's every remaining ticket, so the booking will be cancelled." : ""}
            </>
          )}
        </p>
        {staff ? (
          <>
            <label htmlFor={reasonId} className="mt-4 block text-sm font-medium text-slate-800">
              Reason for the customer (optional)
            </label>
            <input
              id={reasonId}
              type="text"
              maxLength={200}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              className="mt-1.5 block w-full rounded-lg border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-600 focus:outline-none"
            />
          </>
        ) : null}
      </>
    );
  }

  return (
    <ConfirmDialog
      open={open}
      title={title}
      tone="danger"
      cancelLabel="Keep tickets"
      confirmLabel={picked.length === 0 ? "Refund tickets" : amount > 0 ? `Refund ${money(amount)}` : `Cancel ${count(picked.length)}`}
      confirmDisabled={picked.length === 0}
      busy={busy}
      onConfirm={() =>
        onConfirm({ ticketIds: picked.map((t) => t.id), amountMinor: amount, cancelsBooking, reason: reason.trim() })
      }
      onCancel={onCancel}
    >
      <div className="space-y-2">
        <p>Refunded tickets stop working at the door and their seats go back on sale.</p>
        {body}
        {note ? <div className="text-slate-600">{note}</div> : null}
      </div>
    </ConfirmDialog>
  );
}
