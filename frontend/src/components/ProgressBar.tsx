/**
 * A horizontal meter (`role="meter"` is not announced everywhere, so this is a `progressbar` with
 * a text value), e.g. tickets sold of capacity.
 */
export function ProgressBar({
  value,
  max,
  label,
  valueText,
  className = "",
}: {
  value: number;
  max: number;
  label: string;
  valueText?: string;
  className?: string;
}) {
  const share = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  const tone = share >= 1 ? "bg-emerald-600" : share >= 0.8 ? "bg-amber-500" : "bg-brand-600";
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={Math.min(value, max)}
      aria-valuetext={valueText}
      className={`h-2 w-full overflow-hidden rounded-full bg-slate-200 ${className}`}
    >
      <div className={`h-full rounded-full ${tone}`} style={{ width: `${share * 100}%` }} />
    </div>
  );
}
