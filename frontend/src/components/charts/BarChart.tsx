import { useId, useState } from "react";
import type { ChartDatum } from "./series";

/**
 * A small column chart as SVG. Screen readers get a one-line summary on the image and the full
 * data as a table (visually hidden until "Show table" is pressed, so sighted keyboard users can
 * read exact numbers too).
 */
export function BarChart({
  title,
  data,
  formatValue = (v) => String(v),
  categoryLabel = "Date",
  valueLabel = "Value",
  emptyText = "Nothing to show yet.",
  height = 160,
  className = "",
}: {
  title: string;
  data: readonly ChartDatum[];
  formatValue?: (value: number) => string;
  categoryLabel?: string;
  valueLabel?: string;
  emptyText?: string;
  height?: number;
  className?: string;
}) {
  const titleId = useId();
  const [showTable, setShowTable] = useState(false);
  const max = Math.max(0, ...data.map((d) => d.value));
  const total = data.reduce((sum, d) => sum + d.value, 0);
  const peak = data.find((d) => d.value === max && max > 0);
  const summary =
    data.length === 0
      ? emptyText
      : `${title}: ${data.length} ${data.length === 1 ? "bar" : "bars"} from ${data[0]!.fullLabel} to ${data[data.length - 1]!.fullLabel}; total ${formatValue(total)}${
          peak ? `; highest ${formatValue(peak.value)} on ${peak.fullLabel}` : ""
        }.`;

  // Bars in a 100-wide coordinate space, stretched to the box (text lives outside the SVG).
  const width = 100;
  const slot = data.length > 0 ? width / data.length : width;
  const gap = Math.min(slot * 0.2, 1.2);
  const ticks = data.length <= 1 ? data.map((_, i) => i) : [0, Math.floor((data.length - 1) / 2), data.length - 1];

  return (
    <figure className={`min-w-0 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm ${className}`} aria-labelledby={titleId}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <figcaption id={titleId} className="text-sm font-semibold text-slate-900">
          {title}
        </figcaption>
        {data.length > 0 ? (
          <button
            type="button"
            onClick={() => setShowTable((v) => !v)}
            aria-expanded={showTable}
            className="rounded-md px-2 py-1 text-xs font-semibold text-brand-700 hover:bg-brand-50"
          >
            {showTable ? "Hide table" : "Show table"}
          </button>
        ) : null}
      </div>
      {data.length === 0 ? (
        <p className="mt-6 mb-4 text-center text-sm text-slate-600">{emptyText}</p>
      ) : (
        <>
          <div className="mt-3 flex gap-2">
            <div className="flex w-12 shrink-0 flex-col justify-between text-right text-[11px] leading-none text-slate-600" aria-hidden="true" style={{ height }}>
              <span className="truncate">{formatValue(max)}</span>
              <span>{formatValue(0)}</span>
            </div>
            <div className="min-w-0 flex-1">
              <svg
                role="img"
                aria-label={summary}
                viewBox={`0 0 ${width} 100`}
                preserveAspectRatio="none"
                className="block w-full overflow-visible"
                style={{ height }}
              >
                <line x1="0" x2={width} y1="0" y2="0" className="stroke-slate-200" strokeWidth="1" vectorEffect="non-scaling-stroke" />
                <line x1="0" x2={width} y1="50" y2="50" className="stroke-slate-100" strokeWidth="1" vectorEffect="non-scaling-stroke" />
                <line x1="0" x2={width} y1="100" y2="100" className="stroke-slate-300" strokeWidth="1" vectorEffect="non-scaling-stroke" />
                {data.map((d, i) => {
                  const h = max > 0 ? (d.value / max) * 100 : 0;
                  return (
                    <rect
                      key={d.key}
                      x={i * slot + gap / 2}
                      y={100 - h}
                      width={Math.max(slot - gap, 0.2)}
                      height={h}
                      className="fill-brand-600 hover:fill-brand-800"
                    >
                      <title>{`${d.fullLabel}: ${formatValue(d.value)}`}</title>
                    </rect>
                  );
                })}
              </svg>
              <div className="relative mt-1 h-4 text-[11px] text-slate-600" aria-hidden="true">
                {ticks.map((i, n) => {
                  const d = data[i]!;
                  const align = n === 0 ? "left-0" : n === ticks.length - 1 ? "right-0" : "left-1/2 -translate-x-1/2";
                  return (
                    <span key={d.key} className={`absolute top-0 whitespace-nowrap ${align}`}>
                      {d.label}
                    </span>
                  );
                })}
              </div>
            </div>
          </div>
          <div className={showTable ? "mt-4 max-h-64 overflow-auto" : "sr-only"}>
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{title}</caption>
              <thead>
                <tr className="border-b border-slate-200 text-xs text-slate-600 uppercase">
                  <th scope="col" className="py-1.5 pr-4 font-semibold">
                    {categoryLabel}
                  </th>
                  <th scope="col" className="py-1.5 text-right font-semibold">
                    {valueLabel}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.map((d) => (
                  <tr key={d.key} className="border-b border-slate-100 last:border-0">
                    <th scope="row" className="py-1.5 pr-4 font-normal text-slate-700">
                      {d.fullLabel}
                    </th>
                    <td className="py-1.5 text-right text-slate-900 tabular-nums">{formatValue(d.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </figure>
  );
}
