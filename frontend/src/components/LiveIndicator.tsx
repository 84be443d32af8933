import type { RoomStatus } from "../realtime/client";

const LOOK: Record<Exclude<RoomStatus, "unavailable">, { text: string; title: string; pill: string; dot: string }> = {
  live: {
    text: "Live",
    title: "Updates appear here as they happen.",
    pill: "bg-emerald-50 text-emerald-800 ring-emerald-200",
    dot: "bg-emerald-600",
  },
  connecting: {
    text: "Connecting…",
    title: "Connecting to live updates.",
    pill: "bg-slate-50 text-slate-700 ring-slate-200",
    dot: "bg-slate-400",
  },
  reconnecting: {
    text: "Reconnecting…",
    title: "The live connection dropped; reconnecting. What you see may be a little out of date.",
    pill: "bg-amber-50 text-amber-900 ring-amber-300",
    dot: "bg-amber-500",
  },
  offline: {
    text: "Offline",
    title: "Live updates are paused; we keep trying. Reload to see the latest.",
    pill: "bg-slate-100 text-slate-700 ring-slate-300",
    dot: "bg-slate-500",
  },
};

/**
 * A small pill telling whether what the page shows updates by itself: "Live" (a green dot that
 * pulses, unless reduced motion is asked for), "Connecting…", "Reconnecting…" or "Offline".
 * Nothing when the server does not offer live updates for this page (e.g. a draft's preview).
 * The text says it all (colour is never the only signal), and changes are announced politely.
 */
export function LiveIndicator({ status, className = "" }: { status: RoomStatus; className?: string }) {
  if (status === "unavailable") return null;
  const look = LOOK[status];
  return (
    <span
      role="status"
      aria-live="polite"
      title={look.title}
      data-testid="live-indicator"
      data-state={status}
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ring-1 ring-inset ${look.pill} ${className}`}
    >
      <span aria-hidden="true" className="relative flex h-2 w-2">
        {status === "live" ? (
          <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-emerald-500 opacity-60 motion-reduce:hidden" />
        ) : null}
        <span className={`relative inline-flex h-2 w-2 rounded-full ${look.dot}`} />
      </span>
      <span>{look.text}</span>
    </span>
  );
}
