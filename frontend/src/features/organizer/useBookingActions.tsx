import { useState, type ReactNode } from "react";
import { describeRefundError } from "../bookings/refundProblems";
import { RefundTicketsDialog, type TicketRefundChoice } from "../bookings/RefundTicketsDialog";
import { useRefundTicketsMutation } from "../bookings/bookingsApi";
import { CancelBookingDialog, cancelledMessage, customerName, ticketsRefundedMessage } from "./BookingsTable";
import { describeProblem } from "./errors";
import { useOrgCancelBookingMutation, type BookingRead } from "./organizerApi";

/** How long after a refund starts the list is fetched again: the provider confirms it by then. */
export const REFUND_RECHECK_MS = 3000;

export interface Notice {
  tone: "success" | "error";
  text: string;
}

/**
 * What staff can do to a booking in a bookings table (the organizer's event page and the admin's
 * list share it): cancel it (refunding what was paid) or refund some of its tickets, each behind
 * its confirmation dialog. `reload` refetches what the page shows; it runs after every answer and
 * again once the payment provider has had time to confirm a refund.
 */
export function useBookingActions({ reload, onNotice }: { reload: () => void; onNotice: (notice: Notice | null) => void }): {
  /** Spread on BookingsTable. */
  tableProps: { busy: ReadonlySet<string>; onCancel: (booking: BookingRead) => void; onRefundTickets: (booking: BookingRead) => void };
  dialogs: ReactNode;
} {
  const [cancelBooking, cancelState] = useOrgCancelBookingMutation();
  const [refundTickets, refundState] = useRefundTicketsMutation();
  const [cancelling, setCancelling] = useState<BookingRead | null>(null);
  const [refunding, setRefunding] = useState<BookingRead | null>(null);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());

  const recheckLater = () => setTimeout(reload, REFUND_RECHECK_MS);

  async function confirmCancel(reason: string) {
    const booking = cancelling;
    if (!booking) return;
    setCancelling(null);
    onNotice(null);
    setBusy((s) => new Set(s).add(booking.id));
    const result = await cancelBooking({ id: booking.id, eventId: booking.event_id, ...(reason ? { reason } : {}) });
    setBusy((s) => {
      const next = new Set(s);
      next.delete(booking.id);
      return next;
    });
    if ("error" in result) {
      onNotice({ tone: "error", text: `Couldn't cancel the booking of ${customerName(booking)}. ${describeProblem(result.error).message}` });
      return;
    }
    const message = cancelledMessage(booking, result.data);
    onNotice({ tone: "success", text: message.text });
    if (message.refundPending) recheckLater();
  }

  async function confirmRefund(choice: TicketRefundChoice) {
    const booking = refunding;
    if (!booking) return;
    onNotice(null);
    // The dialog stays open (busy) until the answer, then closes and focus returns to its button.
    const result = await refundTickets({
      bookingId: booking.id,
      ticketIds: choice.ticketIds,
      ...(choice.reason ? { reason: choice.reason } : {}),
    });
    setRefunding(null);
    // The list, the sold counters and the charts all moved (or were stale, on a refusal).
    reload();
    if ("error" in result) {
      onNotice({ tone: "error", text: `Couldn't refund tickets of ${customerName(booking)}. ${describeRefundError(result.error).message}` });
      return;
    }
    onNotice({ tone: "success", text: ticketsRefundedMessage(booking, result.data) });
    if (result.data.amount_minor > 0) recheckLater();
  }

  return {
    tableProps: {
      busy,
      onCancel: setCancelling,
      onRefundTickets: (booking) => {
        onNotice(null);
        setRefunding(booking);
      },
    },
    dialogs: (
      <>
        <CancelBookingDialog
          booking={cancelling}
          busy={cancelState.isLoading}
          onConfirm={(reason) => void confirmCancel(reason)}
          onCancel={() => setCancelling(null)}
        />
        {refunding ? (
          <RefundTicketsDialog
            open
            staff
            booking={refunding}
            title={`Refund tickets of ${customerName(refunding)}`}
            busy={refundState.isLoading}
            onConfirm={(choice) => void confirmRefund(choice)}
            onCancel={() => setRefunding(null)}
          />
        ) : null}
      </>
    ),
  };
}
