import { useEffect, useState } from "react";
import type { Outcome, OutcomeTone } from "./outcome";

const TONES: Record<OutcomeTone, { panel: string; button: string; icon: string; bar: string }> = {
  admitted: {
    panel: "bg-emerald-700 text-white",
    button: "bg-white text-emerald-900 hover:bg-emerald-50",
    icon: "M4.5 12.75l6 6 9-13.5",
    bar: "bg-white/70",
  },
  refused: {
    panel: "bg-red-700 text-white",
    button: "bg-white text-red-900 hover:bg-red-50",
    icon: "M6 18 18 6M6 6l12 12",
    bar: "bg-white/70",
  },
  unknown: {
    panel: "bg-amber-400 text-slate-950",
    button: "bg-slate-950 text-white hover:bg-slate-800",
    icon: "M12 9v3.75m0 3.75h.008v.008H12v-.008Z",
    bar: "bg-slate-950/60",
  },
  info: {
    panel: "bg-brand-700 text-white",
    button: "bg-white text-brand-800 hover:bg-brand-50",
    icon: "M11.25 11.25l.041-.02a.75.75 0 0 1 1.063.852l-.708 2.836a.75.75 0 0 0 1.063.853l.041-.021M12 8.25h.008v.008H12V8.25Z",
    bar: "bg-white/70",
  },
};

/**
 * The answer to a scan, big enough to read at arm's length in a dark doorway: colour, icon and
 * words all say the same thing. `closesInMs` draws a shrinking bar until scanning resumes.
 */
export function ResultPanel({
  outcome,
  closesInMs,
  dismissLabel,
  onDismiss,
}: {
  outcome: Outcome;
  closesInMs: number | null;
  dismissLabel: string;
  onDismiss: () => void;
}) {
  const tone = TONES[outcome.tone];
  const [draining, setDraining] = useState(false);
  useEffect(() => {
    setDraining(false);
    const frame = requestAnimationFrame(() => setDraining(true));
    return () => cancelAnimationFrame(frame);
  }, [outcome]);

  return (
    <div
      data-testid="scan-result"
      data-tone={outcome.tone}
      className={`relative z-10 flex flex-col rounded-2xl p-4 [grid-area:1/1] ${tone.panel}`}
    >
      <div className="flex flex-1 flex-col items-center justify-center gap-2 text-center">
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="3" className="h-14 w-14 shrink-0" aria-hidden="true" focusable="false">
          {outcome.tone === "unknown" || outcome.tone === "info" ? <circle cx="12" cy="12" r="9.5" strokeWidth="2" /> : null}
          <path strokeLinecap="round" strokeLinejoin="round" d={tone.icon} />
        </svg>
        <p className="text-4xl leading-none font-black tracking-tight break-words uppercase sm:text-5xl">{outcome.headline}</p>
        {outcome.name ? <p className="mt-1 text-2xl leading-tight font-bold break-words">{outcome.name}</p> : null}
        {outcome.ticketType ? <p className="text-lg font-semibold break-words opacity-95">{outcome.ticketType}</p> : null}
        {outcome.detail ? <p className="mt-1 max-w-md text-lg leading-snug font-medium break-words">{outcome.detail}</p> : null}
      </div>
      <button
        type="button"
        onClick={onDismiss}
        className={`mt-4 h-14 w-full shrink-0 rounded-xl text-lg font-bold shadow-sm focus-visible:outline-offset-4 ${tone.button}`}
      >
        {dismissLabel}
      </button>
      {closesInMs !== null ? (
        <div className="mt-3 h-1.5 w-full shrink-0 overflow-hidden rounded-full bg-black/15" aria-hidden="true">
          <div
            className={`h-full origin-left rounded-full ease-linear ${tone.bar}`}
            style={{
              transform: draining ? "scaleX(0)" : "scaleX(1)",
              transitionProperty: "transform",
              transitionDuration: draining ? `${closesInMs}ms` : "0ms",
            }}
          />
        </div>
      ) : null}
    </div>
  );
}
