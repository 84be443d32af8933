/** A figure with its label, inside a `<dl>`: e.g. "Tickets sold 120 of 400". */
export function StatCard({
  label,
  value,
  detail,
  testId,
}: {
  label: string;
  value: string;
  detail?: string | undefined;
  /** `data-testid` of the figure, for browser tests. */
  testId?: string;
}) {
  return (
    <div className="min-w-0 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-xs font-semibold tracking-wide text-slate-600 uppercase">{label}</dt>
      <dd className="mt-1 truncate text-2xl font-semibold text-slate-900 tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {detail ? <dd className="mt-0.5 text-xs break-words text-slate-600">{detail}</dd> : null}
    </div>
  );
}
