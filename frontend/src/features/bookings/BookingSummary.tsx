import { formatMoney } from "../../lib/format";
import type { BookingRead } from "./bookingsApi";

/** The lines of a booking and its money: subtotal, discount (with the code), total, refunded. */
export function BookingSummary({ booking, locale }: { booking: BookingRead; locale?: string }) {
  const money = (minor: number) => formatMoney(minor, booking.currency, locale);
  return (
    <div>
      <ul role="list" className="divide-y divide-slate-100 text-sm">
        {booking.items.map((item) => {
          const names = item.attendees.map((a) => a.name.trim()).filter(Boolean);
          return (
            <li key={item.ticket_type_id} className="py-2.5 first:pt-0">
              <div className="flex justify-between gap-3">
                <span className="min-w-0 break-words text-slate-800">
                  <span className="font-medium">{item.quantity} ×</span> {item.ticket_type_name}
                </span>
                <span className="shrink-0 font-medium text-slate-900 tabular-nums">
                  {item.line_total_minor === 0 ? "Free" : money(item.line_total_minor)}
                </span>
              </div>
              <p className="mt-0.5 text-xs text-slate-600">
                {item.unit_price_minor === 0 ? "Free" : `${money(item.unit_price_minor)} each`}
                {names.length ? <span className="break-words"> · {names.join(", ")}</span> : null}
              </p>
            </li>
          );
        })}
      </ul>
      <dl className="mt-3 space-y-1.5 border-t border-slate-200 pt-3 text-sm">
        <div className="flex justify-between gap-3 text-slate-700">
          <dt>Subtotal</dt>
          <dd className="tabular-nums">{money(booking.subtotal_minor)}</dd>
        </div>
        {booking.discount_minor > 0 ? (
          <div className="flex justify-between gap-3 text-emerald-800">
            <dt className="min-w-0 break-words">Discount{booking.coupon_code ? ` (${booking.coupon_code})` : ""}</dt>
            <dd className="tabular-nums">−{money(booking.discount_minor)}</dd>
          </div>
        ) : null}
        <div className="flex items-baseline justify-between gap-3 pt-1 font-semibold text-slate-900">
          <dt className="text-base">Total</dt>
          <dd className="text-lg tabular-nums">{booking.total_minor === 0 ? "Free" : money(booking.total_minor)}</dd>
        </div>
        {booking.refunded_minor > 0 ? (
          <div className="flex justify-between gap-3 text-slate-700">
            <dt>Refunded</dt>
            <dd className="tabular-nums">−{money(booking.refunded_minor)}</dd>
          </div>
        ) : null}
      </dl>
    </div>
  );
}
