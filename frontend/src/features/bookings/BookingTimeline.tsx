import { formatMoney } from "../../lib/format";
import { formatLocal } from "../events/datetime";
import type { BookingRead, RefundRead } from "./bookingsApi";
import { reasonText } from "./reasons";

interface Step {
  at: string;
  /** Sorting time, when it differs from the shown one (a refund started by a cancellation follows it). */
  sortAt?: string;
  title: string;
  detail?: string | null;
  tone: "done" | "bad" | "neutral";
}

const dot: Record<Step["tone"], string> = {
  done: "bg-emerald-500 ring-emerald-100",
  bad: "bg-red-500 ring-red-100",
  neutral: "bg-slate-400 ring-slate-100",
};

/** What happened to a booking, oldest first: held, paid/confirmed, cancelled or expired, refunds. */
export function BookingTimeline({ booking, refunds, locale }: { booking: BookingRead; refunds: RefundRead[]; locale?: string }) {
  const steps: Step[] = [
    { at: booking.created_at, title: "Booked: tickets held", tone: "done" },
  ];
  if (booking.confirmed_at) {
    steps.push({
      at: booking.confirmed_at,
      title: booking.total_minor > 0 ? "Payment received: booking confirmed" : "Booking confirmed",
      tone: "done",
    });
  }
  if (booking.expired_at) {
    steps.push({ at: booking.expired_at, title: "Hold expired: tickets released", detail: "Nothing was charged.", tone: "neutral" });
  }
  if (booking.cancelled_at) {
    steps.push({ at: booking.cancelled_at, title: "Cancelled", detail: reasonText(booking.cancel_reason), tone: "bad" });
  }
  for (const refund of refunds) {
    const tickets = refund.ticket_ids.length;
    const amount =
      formatMoney(refund.amount_minor, refund.currency, locale) +
      (tickets > 0 ? ` for ${tickets} ${tickets === 1 ? "ticket" : "tickets"}` : "");
    const byCancellation = booking.cancelled_at !== null && refund.reason === booking.cancel_reason;
    steps.push({
      at: refund.created_at,
      ...(byCancellation && booking.cancelled_at && new Date(booking.cancelled_at) > new Date(refund.created_at)
        ? { sortAt: booking.cancelled_at }
        : {}),
      title: `Refund of ${amount} started`,
      // "Cancelled by you" is already said by the cancellation step.
      detail: refund.reason === booking.cancel_reason ? null : reasonText(refund.reason),
      tone: "neutral",
    });
    if (refund.completed_at) {
      steps.push({
        at: refund.completed_at,
        title: refund.status === "failed" ? `Refund of ${amount} failed` : `Refund of ${amount} completed`,
        detail: refund.status === "failed" ? "The organizer has been told and will refund you another way." : null,
        tone: refund.status === "failed" ? "bad" : "done",
      });
    }
  }
  const time = (s: Step) => new Date(s.sortAt ?? s.at).getTime();
  // Stable sort: on equal times the order above (booked, confirmed, expired, cancelled, refunds) stays.
  steps.sort((a, b) => time(a) - time(b));

  return (
    <ol className="relative ml-2 space-y-5 border-l border-slate-200 pl-6">
      {steps.map((step, i) => (
        <li key={`${step.at}-${i}`} className="relative">
          <span
            aria-hidden="true"
            className={`absolute top-1.5 -left-[1.9rem] h-3 w-3 rounded-full ring-4 ${dot[step.tone]}`}
          />
          <p className="text-sm font-semibold text-slate-900">{step.title}</p>
          <p className="text-xs text-slate-600">
            <time dateTime={step.at}>{formatLocal(step.at, locale)}</time>
          </p>
          {step.detail ? <p className="mt-0.5 text-sm break-words text-slate-700">{step.detail}</p> : null}
        </li>
      ))}
      {booking.status === "pending_payment" ? (
        <li className="relative">
          <span aria-hidden="true" className="absolute top-1.5 -left-[1.9rem] h-3 w-3 rounded-full bg-amber-400 ring-4 ring-amber-100" />
          <p className="text-sm font-semibold text-slate-900">Waiting for payment</p>
          <p className="text-xs text-slate-600">
            Held until <time dateTime={booking.hold_expires_at}>{formatLocal(booking.hold_expires_at, locale)}</time>
          </p>
        </li>
      ) : null}
    </ol>
  );
}
