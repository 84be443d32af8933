import { useEffect, useRef, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { Alert } from "../../components/Alert";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorState } from "../../components/ErrorState";
import { LoadingButton } from "../../components/LoadingButton";
import { PageSpinner } from "../../components/Spinner";
import { useFocusOnNavigation } from "../../components/useFocusOnNavigation";
import { usePageTitle } from "../../components/usePageTitle";
import { formatMoney } from "../../lib/format";
import { describeError } from "../auth/problems";
import { describeCheckoutError } from "../checkout/problems";
import { formatEventRange, formatInZone, formatLocal } from "../events/datetime";
import { AddToCalendarLink, CalendarIcon, Fact, PinIcon, placeLines, RefundIcon } from "../events/EventInfo";
import { useGetEventQuery, type EventRead } from "../events/eventsApi";
import { refundDeadline, refundPolicyText } from "../events/policy";
import {
  useCancelBookingMutation,
  useGetBookingQuery,
  useRefundsQuery,
  useRefundTicketsMutation,
  type BookingRead,
  type RefundRead,
} from "./bookingsApi";
import { BookingStatusBadge } from "./BookingStatusBadge";
import { BookingSummary } from "./BookingSummary";
import { BookingTimeline } from "./BookingTimeline";
import { reasonText } from "./reasons";
import { describeRefundError } from "./refundProblems";
import { RefundTicketsDialog, type TicketRefundChoice } from "./RefundTicketsDialog";
import { TicketsSection } from "./TicketsSection";

export function BookingDetailPage() {
  const { bookingId = "" } = useParams();
  const query = useGetBookingQuery(bookingId, { refetchOnMountOrArgChange: true });
  usePageTitle(query.data ? `Booking: ${query.data.event_title}` : "Booking");

  if (query.isLoading) return <PageSpinner label="Loading your booking…" />;
  if (!query.data) {
    const info = describeError(query.error);
    return (
      <div className="mx-auto max-w-2xl px-4 py-16 sm:px-6">
        {info.status === 404 ? (
          <ErrorState title="Booking not found" message="We couldn't find this booking. It may belong to another account." />
        ) : (
          <ErrorState
            title="We couldn't load this booking"
            message={info.message}
            onRetry={() => void query.refetch()}
            retrying={query.isFetching}
          />
        )}
        <p className="mt-6 text-center">
          <Link to="/my/bookings" className="font-semibold text-brand-700 hover:underline">
            See all your bookings
          </Link>
        </p>
      </div>
    );
  }
  return <BookingDetail booking={query.data} />;
}

function BookingDetail({ booking }: { booking: BookingRead }) {
  const [params] = useSearchParams();
  const justConfirmed = params.get("confirmed") === "1" && booking.status === "confirmed";
  const headingRef = useRef<HTMLHeadingElement>(null);
  const bannerRef = useRef<HTMLDivElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useFocusOnNavigation(justConfirmed ? bannerRef : headingRef);

  const event = useGetEventQuery(booking.event_id);
  const refunds = useRefundsQuery(booking.id, { skip: booking.status === "pending_payment" || booking.status === "expired" });
  const [cancelBooking, cancelling] = useCancelBookingMutation();
  const [refundTickets, refunding] = useRefundTicketsMutation();
  const [asking, setAsking] = useState(false);
  const [choosing, setChoosing] = useState(false);
  const [outcome, setOutcome] = useState<
    { ok: true; title: string; message: string } | { ok: false; problem: { title: string; message: string } } | null
  >(null);

  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const money = (minor: number) => formatMoney(minor, booking.currency);
  const cancellable = booking.status === "pending_payment" || booking.status === "confirmed";
  const paid = booking.status === "confirmed" && booking.total_minor > 0;
  // Refunding some tickets is offered only while the event's refund policy allows it (the server checks too).
  const deadline = event.data ? refundDeadline(event.data.starts_at, event.data.refund_until_hours) : null;
  const mayRefundTickets = booking.status === "confirmed" && deadline !== null && deadline.getTime() >= Date.now();

  async function cancel() {
    const result = await cancelBooking(booking.id);
    setAsking(false);
    if (result.data) {
      setOutcome({
        ok: true,
        title: "Booking cancelled",
        message: paid
          ? `Your booking is cancelled. A refund of ${money(booking.total_minor - booking.refunded_minor)} is on its way to your original payment method; it usually arrives within 5–10 business days.`
          : "Your booking is cancelled and the tickets were released.",
      });
    } else {
      setOutcome({ ok: false, problem: describeCheckoutError(result.error) });
    }
  }

  async function refund(choice: TicketRefundChoice) {
    const result = await refundTickets({ bookingId: booking.id, ticketIds: choice.ticketIds });
    setChoosing(false);
    if (!result.data) {
      setOutcome({ ok: false, problem: describeRefundError(result.error) });
      return;
    }
    const { amount_minor: amount, ticket_ids: ids } = result.data;
    const tickets = `${ids.length} ${ids.length === 1 ? "ticket" : "tickets"}`;
    const moneyBack =
      amount > 0
        ? ` A refund of ${money(amount)} is on its way to your original payment method; it usually arrives within 5–10 business days.`
        : "";
    setOutcome(
      result.data.booking.status === "cancelled"
        ? { ok: true, title: "Booking cancelled", message: `Your last ${tickets} ${ids.length === 1 ? "is" : "are"} refunded, so your booking is cancelled.${moneyBack}` }
        : { ok: true, title: "Tickets refunded", message: `${tickets} refunded and released.${moneyBack} Your other tickets stay valid.` },
    );
  }

  return (
    <div className="mx-auto max-w-5xl px-4 py-8 sm:px-6 lg:px-8">
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link to="/my/bookings" className="font-medium text-brand-700 hover:underline">
          ← My bookings
        </Link>
      </nav>

      {justConfirmed ? (
        <Alert ref={bannerRef} tone="success" title="You're going! Your booking is confirmed." className="mb-6">
          Your tickets are below. We've also sent them to you by email.
        </Alert>
      ) : null}

      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 ref={headingRef} tabIndex={-1} className="text-2xl font-bold tracking-tight break-words text-slate-900 focus:outline-none sm:text-3xl">
            <Link to={`/events/${booking.event_id}`} className="hover:text-brand-700">
              {booking.event_title}
            </Link>
          </h1>
          <p className="mt-1 text-sm text-slate-600">
            Booking ref. <span className="font-mono font-medium text-slate-800">{booking.id.slice(0, 8).toUpperCase()}</span> ·
            booked {formatLocal(booking.created_at)}
          </p>
        </div>
        <BookingStatusBadge status={booking.status} />
      </div>

      {outcome ? (
        <div className="mt-6">
          {outcome.ok ? (
            <Alert ref={outcomeRef} tone="success" title={outcome.title}>
              {outcome.message}
            </Alert>
          ) : (
            <Alert ref={outcomeRef} tone="error" title={outcome.problem.title}>
              {outcome.problem.message}
            </Alert>
          )}
        </div>
      ) : null}

      {booking.status === "pending_payment" ? (
        <Alert
          tone="warning"
          live={false}
          title="Awaiting payment"
          className="mt-6"
          action={
            <Link
              to={`/checkout/${booking.id}`}
              className="inline-flex rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
            >
              Complete payment
            </Link>
          }
        >
          Your tickets are held until {formatLocal(booking.hold_expires_at)}. Pay before then to keep them.
        </Alert>
      ) : null}

      <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem] lg:gap-8">
        <div className="min-w-0 space-y-8">
          <TicketsSection
            booking={booking}
            {...(mayRefundTickets
              ? {
                  onRefund: () => {
                    setOutcome(null);
                    setChoosing(true);
                  },
                }
              : {})}
          />

          <section aria-labelledby="order-title" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 id="order-title" className="mb-3 text-lg font-semibold text-slate-900">
              Order
            </h2>
            <BookingSummary booking={booking} />
          </section>

          <section aria-labelledby="history-title">
            <h2 id="history-title" className="mb-4 text-lg font-semibold text-slate-900">
              History
            </h2>
            <BookingTimeline booking={booking} refunds={refunds.data ?? []} />
          </section>
        </div>

        <aside className="min-w-0 space-y-6" aria-label="Event and actions">
          <EventCard booking={booking} event={event.data} />

          {refunds.data && refunds.data.length > 0 ? <RefundsList refunds={refunds.data} /> : null}

          {cancellable ? (
            <section aria-labelledby="cancel-title" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
              <h2 id="cancel-title" className="text-base font-semibold text-slate-900">
                Can't make it?
              </h2>
              <p className="mt-2 text-sm text-slate-700">
                {booking.status === "pending_payment"
                  ? "Cancel to release the held tickets. Nothing has been charged."
                  : event.data
                    ? refundPolicyText(event.data)
                    : "Refunds follow the event's refund policy."}
              </p>
              <LoadingButton
                variant="danger-secondary"
                className="mt-4 w-full"
                loading={cancelling.isLoading}
                loadingText="Cancelling…"
                onClick={() => {
                  setOutcome(null);
                  setAsking(true);
                }}
              >
                Cancel booking
              </LoadingButton>
            </section>
          ) : null}
        </aside>
      </div>

      <ConfirmDialog
        open={asking}
        title="Cancel this booking?"
        confirmLabel={paid ? "Cancel and refund" : "Cancel booking"}
        cancelLabel="Keep booking"
        tone="danger"
        busy={cancelling.isLoading}
        onConfirm={() => void cancel()}
        onCancel={() => setAsking(false)}
      >
        <CancelExplanation booking={booking} event={event.data} />
      </ConfirmDialog>

      <RefundTicketsDialog
        open={choosing}
        booking={booking}
        title="Refund some tickets"
        busy={refunding.isLoading}
        note={event.data ? refundPolicyText(event.data) : null}
        onConfirm={(choice) => void refund(choice)}
        onCancel={() => setChoosing(false)}
      />
    </div>
  );
}

function CancelExplanation({ booking, event }: { booking: BookingRead; event: EventRead | undefined }) {
  const money = (minor: number) => formatMoney(minor, booking.currency);
  if (booking.status === "pending_payment") {
    return <p>Your held tickets will be released for others to book. You haven't been charged.</p>;
  }
  if (booking.total_minor === 0) return <p>Your free tickets will be cancelled and released for others.</p>;
  const deadline = event ? refundDeadline(event.starts_at, event.refund_until_hours) : undefined;
  const late = event && (deadline === null || (deadline !== undefined && deadline.getTime() < Date.now()));
  return (
    <div className="space-y-2">
      {late ? (
        <p className="font-medium text-red-800">
          {deadline
            ? `The refund deadline (${formatInZone(deadline.toISOString(), event.timezone)}) has passed, so you probably can't cancel online any more.`
            : "This event doesn't offer refunds online, so you probably can't cancel here."}
        </p>
      ) : (
        <p>
          Your tickets will be voided and you'll get a full refund of{" "}
          <strong className="font-semibold text-slate-900">{money(booking.total_minor - booking.refunded_minor)}</strong> to your
          original payment method.
        </p>
      )}
      {event ? <p>{refundPolicyText(event)}</p> : null}
    </div>
  );
}

function EventCard({ booking, event }: { booking: BookingRead; event: EventRead | undefined }) {
  return (
    <section aria-labelledby="event-title" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="event-title" className="text-base font-semibold text-slate-900">
        Event
      </h2>
      <dl className="mt-4 space-y-4">
        <Fact icon={<CalendarIcon />} label="When">
          <time dateTime={booking.event_starts_at}>
            {event
              ? formatEventRange(event.starts_at, event.ends_at, event.timezone)
              : formatInZone(booking.event_starts_at, booking.event_timezone)}
          </time>
        </Fact>
        {event ? (
          <Fact icon={<PinIcon />} label="Where">
            {placeLines(event).map((line, i) => (
              <span key={i} className={i === 0 ? "block font-medium text-slate-800" : "block"}>
                {line}
              </span>
            ))}
          </Fact>
        ) : null}
        {event && booking.status === "confirmed" ? (
          <Fact icon={<RefundIcon />} label="Refunds">
            {refundPolicyText(event)}
          </Fact>
        ) : null}
      </dl>
      {event?.status === "cancelled" ? (
        <Alert tone="error" live={false} title="The event was cancelled" className="mt-4">
          {event.cancelled_reason ?? "Paid bookings are refunded automatically."}
        </Alert>
      ) : null}
      <div className="mt-4 flex flex-wrap gap-2 border-t border-slate-100 pt-4">
        <AddToCalendarLink idOrSlug={event?.slug || booking.event_id} />
        <Link
          to={`/events/${event?.slug || booking.event_id}`}
          className="inline-flex items-center rounded-lg px-3 py-2 text-sm font-semibold text-brand-700 hover:bg-brand-50"
        >
          Event page
        </Link>
      </div>
    </section>
  );
}

const REFUND_STATUS: Record<RefundRead["status"], string> = {
  pending: "In progress",
  succeeded: "Refunded",
  failed: "Failed",
};

function RefundsList({ refunds }: { refunds: RefundRead[] }) {
  return (
    <section aria-labelledby="refunds-title" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="refunds-title" className="text-base font-semibold text-slate-900">
        Refunds
      </h2>
      <ul role="list" className="mt-3 divide-y divide-slate-100 text-sm">
        {refunds.map((refund) => (
          <li key={refund.id} className="py-2.5 first:pt-0 last:pb-0">
            <div className="flex items-baseline justify-between gap-3">
              <span className="font-semibold text-slate-900 tabular-nums">{formatMoney(refund.amount_minor, refund.currency)}</span>
              <span
                className={`text-xs font-semibold ${refund.status === "failed" ? "text-red-700" : refund.status === "succeeded" ? "text-emerald-700" : "text-amber-800"}`}
              >
                {REFUND_STATUS[refund.status]}
              </span>
            </div>
            <p className="text-xs break-words text-slate-600">
              {reasonText(refund.reason)}
              {refund.ticket_ids.length > 0 ? ` · ${refund.ticket_ids.length} ${refund.ticket_ids.length === 1 ? "ticket" : "tickets"}` : ""} ·{" "}
              {formatLocal(refund.completed_at ?? refund.created_at)}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
