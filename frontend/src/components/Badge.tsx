import type { ReactNode } from "react";

export type BadgeTone = "neutral" | "brand" | "success" | "warning" | "danger" | "dark";

const tones: Record<BadgeTone, string> = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-200",
  brand: "bg-brand-50 text-brand-700 ring-brand-100",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  warning: "bg-amber-50 text-amber-900 ring-amber-300",
  danger: "bg-red-50 text-red-800 ring-red-200",
  dark: "bg-slate-900 text-white ring-slate-900",
};

/** A small pill for statuses ("Sold out", "Confirmed"). Colour is never the only signal: the text says it. */
export function Badge({
  tone = "neutral",
  children,
  className = "",
  wrap = false,
}: {
  tone?: BadgeTone;
  children: ReactNode;
  className?: string;
  /** Long text (e.g. a date) may wrap onto a second line on narrow screens. */
  wrap?: boolean;
}) {
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${
        wrap ? "min-w-0" : "shrink-0 whitespace-nowrap"
      } ${tones[tone]} ${className}`}
    >
      {children}
    </span>
  );
}
