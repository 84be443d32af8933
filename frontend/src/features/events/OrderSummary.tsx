import { forwardRef, type ReactNode } from "react";
import { Link } from "react-router";
import { Alert } from "../../components/Alert";
import { LoadingButton } from "../../components/LoadingButton";
import { formatMoney } from "../../lib/format";
import type { CheckoutProblem } from "../checkout/problems";
import type { Line } from "./pricing";

export interface Totals {
  subtotalMinor: number;
  discountMinor: number;
  totalMinor: number;
  count: number;
}

export function totalsOf(lines: Line[], discountMinor: number): Totals {
  const subtotalMinor = lines.reduce((sum, l) => sum + l.lineTotalMinor, 0);
  const discount = Math.min(discountMinor, subtotalMinor);
  return {
    subtotalMinor,
    discountMinor: discount,
    totalMinor: subtotalMinor - discount,
    count: lines.reduce((sum, l) => sum + l.quantity, 0),
  };
}

/** The buyer's order as it stands: lines, discount, total, the coupon field and the Book button. */
export const OrderSummary = forwardRef<
  HTMLDivElement,
  {
    currency: string;
    lines: Line[];
    totals: Totals;
    couponCode: string | null;
    coupon: ReactNode;
    problem: CheckoutProblem | null;
    booking: boolean;
    canBook: boolean;
    closedReason: string | null;
    onBook: () => void;
    locale?: string;
  }
>(function OrderSummary(
  { currency, lines, totals, couponCode, coupon, problem, booking, canBook, closedReason, onBook, locale },
  alertRef,
) {
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const free = totals.count > 0 && totals.totalMinor === 0;

  return (
    <section aria-labelledby="order-summary-title" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="order-summary-title" className="text-lg font-semibold text-slate-900">
        Your order
      </h2>

      {lines.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">{closedReason ?? "Choose how many tickets you'd like."}</p>
      ) : (
        <ul role="list" className="mt-3 space-y-2 text-sm">
          {lines.map((line) => (
            <li key={line.ticketType.id} className="flex justify-between gap-3">
              <span className="min-w-0 break-words text-slate-700">
                {line.quantity} × {line.ticketType.name}
              </span>
              <span className="shrink-0 font-medium text-slate-900 tabular-nums">
                {line.lineTotalMinor === 0 ? "Free" : money(line.lineTotalMinor)}
              </span>
            </li>
          ))}
        </ul>
      )}

      <div className="mt-4 border-t border-slate-100 pt-4">{coupon}</div>

      <dl className="mt-4 space-y-1.5 border-t border-slate-100 pt-4 text-sm">
        <div className="flex justify-between gap-3 text-slate-700">
          <dt>Subtotal</dt>
          <dd className="tabular-nums">{money(totals.subtotalMinor)}</dd>
        </div>
        {totals.discountMinor > 0 ? (
          <div className="flex justify-between gap-3 text-emerald-800">
            <dt>Discount{couponCode ? ` (${couponCode})` : ""}</dt>
            <dd className="tabular-nums">−{money(totals.discountMinor)}</dd>
          </div>
        ) : null}
        <div className="flex items-baseline justify-between gap-3 pt-1 text-base font-semibold text-slate-900">
          <dt>Total</dt>
          <dd className="text-xl tabular-nums" aria-live="polite" aria-atomic="true">
            {money(totals.totalMinor)}
          </dd>
        </div>
      </dl>

      {problem ? (
        <Alert ref={alertRef} tone="error" title={problem.title} className="mt-4">
          <p>{problem.message}</p>
          {problem.code === "email_not_verified" ? (
            <p className="mt-2">
              <Link to="/account" className="font-semibold underline underline-offset-2">
                Go to your account to confirm your email
              </Link>
            </p>
          ) : null}
        </Alert>
      ) : null}

      <LoadingButton
        className="mt-4 w-full py-3 text-base"
        onClick={onBook}
        loading={booking}
        loadingText="Holding your tickets…"
        disabled={!canBook || totals.count === 0}
      >
        {totals.count === 0 ? "Select tickets" : free ? `Book ${totals.count} free ${totals.count === 1 ? "ticket" : "tickets"}` : `Book ${totals.count} ${totals.count === 1 ? "ticket" : "tickets"}`}
      </LoadingButton>
      <p className="mt-3 text-center text-xs text-slate-600">
        Your tickets are held for you for a few minutes while you pay.
      </p>
    </section>
  );
});
