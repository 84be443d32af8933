import { formatMoney } from "../../lib/format";
import type { Sale } from "../../realtime/messages";
import type { MyEventSummary } from "./organizerApi";

function timeOf(iso: string, locale?: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/**
 * The latest sales as they happen (newest first). The list is a polite live region that exists
 * before the first sale, so additions are announced without interrupting.
 */
export function LiveActivity({
  activity,
  events,
  live,
  locale,
}: {
  activity: readonly Sale[];
  events: readonly MyEventSummary[];
  live: boolean;
  locale?: string;
}) {
  const titles = new Map(events.map((e) => [e.id, e.title]));
  return (
    <section aria-labelledby="live-activity-title" className="min-w-0 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="live-activity-title" className="text-xs font-semibold tracking-wide text-slate-600 uppercase">
        Live activity
      </h2>
      <ol aria-live="polite" aria-relevant="additions text" data-testid="live-activity" className="mt-2 space-y-1.5 text-sm">
        {activity.map((sale) => {
          const title = titles.get(sale.event_id) ?? "One of your events";
          const tickets = `${sale.quantity} ${sale.quantity === 1 ? "ticket" : "tickets"}`;
          return (
            <li key={sale.booking_id} className="flex min-w-0 flex-wrap items-baseline gap-x-2">
              <time dateTime={sale.at} className="shrink-0 text-xs text-slate-600 tabular-nums">
                {timeOf(sale.at, locale)}
              </time>
              <span className="font-semibold text-emerald-800">Sold {tickets}</span>
              <span className="text-slate-900 tabular-nums">{formatMoney(sale.total_minor, sale.currency, locale)}</span>
              <span className="min-w-0 truncate text-slate-600">{title}</span>
            </li>
          );
        })}
      </ol>
      {activity.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">
          {live ? "New sales appear here as they happen." : "New sales appear here while the live connection is up."}
        </p>
      ) : null}
    </section>
  );
}
