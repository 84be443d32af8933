import { useId } from "react";

export interface BarRow {
  key: string;
  label: string;
  value: number;
  /** The bar's full length (e.g. capacity); defaults to the largest value. */
  max?: number;
  /** What is read and shown, e.g. "12 of 50 sold". Defaults to the value. */
  valueText?: string;
}

/** Labelled horizontal bars as a list: the text carries the data, the bars are decoration. */
export function HorizontalBars({
  title,
  rows,
  emptyText = "Nothing to show yet.",
  className = "",
}: {
  title: string;
  rows: readonly BarRow[];
  emptyText?: string;
  className?: string;
}) {
  const titleId = useId();
  const largest = Math.max(0, ...rows.map((r) => r.value));
  return (
    <section aria-labelledby={titleId} className={`min-w-0 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm ${className}`}>
      <h3 id={titleId} className="text-sm font-semibold text-slate-900">
        {title}
      </h3>
      {rows.length === 0 ? (
        <p className="mt-6 mb-4 text-center text-sm text-slate-600">{emptyText}</p>
      ) : (
        <ul className="mt-3 space-y-3">
          {rows.map((row) => {
            const max = row.max ?? largest;
            const share = max > 0 ? Math.min(1, row.value / max) : 0;
            return (
              <li key={row.key} className="min-w-0">
                <div className="flex items-baseline justify-between gap-3 text-sm">
                  <span className="min-w-0 truncate text-slate-800" title={row.label}>
                    {row.label}
                  </span>
                  <span className="shrink-0 text-slate-700 tabular-nums">{row.valueText ?? String(row.value)}</span>
                </div>
                <div className="mt-1 h-2.5 w-full overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
                  <div className="h-full rounded-full bg-brand-600" style={{ width: `${share * 100}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
