import { useEffect, useId, useState } from "react";

/**
 * A quantity picker: − / number / +. Allowed values are 0 and `min`..`max` (a ticket type may
 * need at least 2 per order), so + from 0 jumps to `min` and − from `min` goes back to 0.
 * The input is a real, labelled number field: typing and the arrow keys work too.
 */
export function QuantityStepper({
  label,
  value,
  min,
  max,
  disabled = false,
  onChange,
}: {
  /** What is being counted, e.g. "Weekend pass"; used in the accessible names. */
  label: string;
  value: number;
  min: number;
  max: number;
  disabled?: boolean;
  onChange: (value: number) => void;
}) {
  const id = useId();
  const floor = Math.max(1, min);
  const canBuy = !disabled && max >= floor;
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft(String(value)), [value]);

  function clamp(next: number): number {
    if (!Number.isFinite(next) || next <= 0 || !canBuy) return 0;
    if (next < floor) return floor;
    return Math.min(Math.trunc(next), max);
  }

  function step(direction: 1 | -1) {
    if (direction === 1) onChange(value === 0 ? floor : clamp(value + 1));
    else onChange(value <= floor ? 0 : value - 1);
  }

  function commit(raw: string) {
    const next = clamp(Number(raw));
    setDraft(String(next));
    if (next !== value) onChange(next);
  }

  // At a limit the button stays focusable (aria-disabled) so keyboard focus is not thrown away.
  const buttonClass =
    "flex h-10 w-10 items-center justify-center rounded-lg text-lg font-semibold text-slate-700 ring-1 ring-inset ring-slate-300 transition-colors hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-300 disabled:ring-slate-200 disabled:hover:bg-transparent aria-disabled:cursor-not-allowed aria-disabled:text-slate-300 aria-disabled:ring-slate-200 aria-disabled:hover:bg-transparent";

  return (
    <div className="flex items-center gap-1.5" role="group" aria-label={`${label} quantity`}>
      <button
        type="button"
        className={buttonClass}
        onClick={() => value > 0 && step(-1)}
        disabled={!canBuy}
        aria-disabled={value === 0 || undefined}
        aria-label={`Remove one ${label}`}
      >
        <span aria-hidden="true">−</span>
      </button>
      <label htmlFor={id} className="sr-only">
        Number of {label} tickets
      </label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={0}
        max={canBuy ? max : 0}
        step={1}
        value={draft}
        disabled={!canBuy}
        onChange={(e) => {
          setDraft(e.target.value);
          const next = Number(e.target.value);
          // Valid values apply as typed; anything else is corrected when the field is left.
          if (e.target.value !== "" && Number.isInteger(next) && (next === 0 || (next >= floor && next <= max))) {
            onChange(next);
          }
        }}
        onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit(e.currentTarget.value);
          // Own the arrow keys so they follow the 0-or-min rule.
          if (e.key === "ArrowUp" || e.key === "ArrowDown") {
            e.preventDefault();
            step(e.key === "ArrowUp" ? 1 : -1);
          }
        }}
        className="h-10 w-12 rounded-lg border-0 bg-white text-center text-base font-semibold text-slate-900 tabular-nums ring-1 ring-inset ring-slate-300 [appearance:textfield] focus:ring-2 focus:ring-brand-600 focus:outline-none disabled:bg-slate-50 disabled:text-slate-400 [&::-webkit-inner-spin-button]:appearance-none [&::-webkit-outer-spin-button]:appearance-none"
      />
      <button
        type="button"
        className={buttonClass}
        onClick={() => value < max && step(1)}
        disabled={!canBuy}
        aria-disabled={value >= max || undefined}
        aria-label={`Add one ${label}`}
      >
        <span aria-hidden="true">+</span>
      </button>
    </div>
  );
}
