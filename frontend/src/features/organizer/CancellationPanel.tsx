import { useEffect, useState } from "react";
import { Alert } from "../../components/Alert";
import { ProgressBar } from "../../components/ProgressBar";
import { Spinner } from "../../components/Spinner";
import { describeProblem } from "./errors";
import { useOrgCancellationQuery, type CancellationProgress } from "./organizerApi";

const POLL_MS = 3000;

/** After an event is cancelled: how its refunds are going, polled until none is pending. */
export function CancellationPanel({ eventId, reason }: { eventId: string; reason: string | null }) {
  // Poll while bookings are still being cancelled or refunds are pending.
  const [polling, setPolling] = useState(true);
  const progress = useOrgCancellationQuery(eventId, { pollingInterval: polling ? POLL_MS : 0 });
  const data = progress.data;
  const finished =
    data === null || progress.isError || (data !== undefined && data.bookings_cancelled >= data.bookings_total && data.pending === 0);
  useEffect(() => setPolling(!finished), [finished]);

  return (
    <section aria-labelledby="refunds-title" className="min-w-0 rounded-2xl border border-red-200 bg-white p-4 shadow-sm sm:p-6">
      <h2 id="refunds-title" className="text-base font-semibold text-slate-900">
        Refunds
      </h2>
      {reason ? <p className="mt-1 text-sm break-words text-slate-600">Reason given: “{reason}”</p> : null}
      <div aria-live="polite" className="mt-3">
        {progress.isLoading ? (
          <p className="flex items-center gap-2 text-sm text-slate-600">
            <Spinner className="h-4 w-4" /> Checking refunds…
          </p>
        ) : progress.isError ? (
          <Alert tone="error" live={false}>
            We couldn't load the refund progress. {describeProblem(progress.error).message}
          </Alert>
        ) : data === null || data === undefined ? (
          <p className="text-sm text-slate-600">
            Refunds run in the background. Progress isn't available for this event; the bookings page shows each booking's refund.
          </p>
        ) : data.bookings_total === 0 ? (
          <p className="text-sm text-slate-600">There were no bookings to cancel or refund.</p>
        ) : (
          <RefundProgress progress={data} />
        )}
      </div>
    </section>
  );
}

function RefundProgress({ progress }: { progress: CancellationProgress }) {
  const { bookings_total: bookings, bookings_cancelled: cancelled, refunds_total: refunds, refunded, failed, pending } = progress;
  const done = cancelled >= bookings && pending === 0;
  return (
    <div>
      <p className="text-sm text-slate-800">
        {done ? "Done: " : "Working… "}
        <strong className="font-semibold">{cancelled}</strong> of {bookings} {bookings === 1 ? "booking" : "bookings"} cancelled
        {refunds > 0 ? (
          <>
            , <strong className="font-semibold">{refunded}</strong> of {refunds} {refunds === 1 ? "refund" : "refunds"} completed
          </>
        ) : null}
        .
      </p>
      <ProgressBar
        className="mt-2"
        value={cancelled}
        max={bookings}
        label="Bookings cancelled"
        valueText={`${cancelled} of ${bookings} bookings cancelled`}
      />
      <dl className="mt-3 grid grid-cols-3 gap-2 text-center text-sm">
        <div className="rounded-lg bg-emerald-50 p-2">
          <dt className="text-emerald-800">Refunded</dt>
          <dd className="text-lg font-semibold text-emerald-900">{refunded}</dd>
        </div>
        <div className="rounded-lg bg-amber-50 p-2">
          <dt className="text-amber-900">Pending</dt>
          <dd className="text-lg font-semibold text-amber-950">{pending}</dd>
        </div>
        <div className="rounded-lg bg-red-50 p-2">
          <dt className="text-red-800">Failed</dt>
          <dd className="text-lg font-semibold text-red-900">{failed}</dd>
        </div>
      </dl>
      {failed > 0 ? (
        <p className="mt-3 text-sm text-red-800">Some refunds failed. The bookings page shows which bookings are affected.</p>
      ) : null}
    </div>
  );
}
