import type { CheckInSummary } from "./doorApi";

/**
 * "124 / 400 checked in" with a bar. When the last refresh failed it says how old the figures
 * are instead of passing them off as live.
 */
export function CheckinCounter({
  summary,
  updatedAt,
  stale,
}: {
  summary: CheckInSummary | undefined;
  /** When the figures were last read (epoch ms). */
  updatedAt: number | undefined;
  stale: boolean;
}) {
  const checkedIn = summary?.checked_in ?? 0;
  const sold = summary?.sold ?? 0;
  const share = sold > 0 ? Math.min(1, checkedIn / sold) : 0;
  const percent = Math.round(share * 100);
  const known = summary !== undefined;

  return (
    <section aria-label="Check-ins" className="rounded-2xl bg-slate-900 px-4 py-3 text-white shadow-sm">
      <div className="flex items-end justify-between gap-3">
        <p className="min-w-0">
          <span className="sr-only">Checked in: </span>
          <span data-testid="checked-in" className="text-3xl font-bold tabular-nums">
            {known ? checkedIn : "–"}
          </span>
          <span className="text-xl font-semibold text-slate-300 tabular-nums">
            {" "}
            / <span className="sr-only">sold: </span>
            <span data-testid="sold">{known ? sold : "–"}</span>
          </span>
          <span className="ml-2 text-sm font-medium text-slate-300" aria-hidden="true">
            checked in
          </span>
        </p>
        <p className="shrink-0 text-lg font-semibold tabular-nums text-slate-100" aria-hidden="true">
          {known ? `${percent}%` : ""}
        </p>
      </div>
      <div
        role="progressbar"
        aria-label="Tickets checked in"
        aria-valuemin={0}
        aria-valuemax={Math.max(sold, 1)}
        aria-valuenow={Math.min(checkedIn, Math.max(sold, 1))}
        aria-valuetext={known ? `${checkedIn} of ${sold} checked in (${percent}%)` : "Not known yet"}
        className="mt-2 h-3 w-full overflow-hidden rounded-full bg-slate-700"
      >
        <div className="h-full rounded-full bg-emerald-400 transition-[width] duration-500" style={{ width: `${share * 100}%` }} />
      </div>
      {stale ? (
        <p className="mt-2 text-sm font-medium text-amber-300">
          Can't update the count right now
          {updatedAt ? ` — last updated ${new Date(updatedAt).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}` : ""}.
        </p>
      ) : null}
    </section>
  );
}
