import { useEffect, useRef, useState } from "react";

/** Below this many seconds the countdown turns amber and says so. */
export const WARNING_SECONDS = 120;
/** Moments announced to screen readers (the timer itself is silent, as `role="timer"` should be). */
const ANNOUNCE_AT = [300, 120, 60, 30] as const;

function secondsUntil(expiresAt: string): number {
  return Math.max(0, Math.ceil((new Date(expiresAt).getTime() - Date.now()) / 1000));
}

/** Seconds left until `expiresAt`, ticking once a second; calls `onExpire` once at zero. */
export function useCountdown(expiresAt: string, onExpire?: () => void): number {
  const [left, setLeft] = useState(() => secondsUntil(expiresAt));
  const expireRef = useRef(onExpire);
  expireRef.current = onExpire;

  useEffect(() => {
    let fired = false;
    const tick = () => {
      const next = secondsUntil(expiresAt);
      setLeft(next);
      if (next === 0 && !fired) {
        fired = true;
        expireRef.current?.();
      }
      return next;
    };
    if (tick() === 0) return;
    const timer = setInterval(() => {
      if (tick() === 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
  }, [expiresAt]);

  return left;
}

export function formatClock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

function spoken(seconds: number): string {
  if (seconds >= 60) {
    const m = Math.round(seconds / 60);
    return `${m} ${m === 1 ? "minute" : "minutes"}`;
  }
  return `${seconds} seconds`;
}

/** "Tickets held for 09:41": how long the seats stay reserved while the buyer pays. */
export function HoldCountdown({ secondsLeft }: { secondsLeft: number }) {
  const warning = secondsLeft <= WARNING_SECONDS;
  const [announcement, setAnnouncement] = useState("");
  const lastAnnounced = useRef<number | null>(null);

  useEffect(() => {
    // The smallest mark already reached; each is announced once, even if a tick was skipped.
    const reached = ANNOUNCE_AT.filter((at) => secondsLeft > 0 && secondsLeft <= at);
    const mark = reached[reached.length - 1];
    if (mark !== undefined && (lastAnnounced.current === null || mark < lastAnnounced.current)) {
      lastAnnounced.current = mark;
      setAnnouncement(`${spoken(mark)} left to complete your booking.`);
    }
  }, [secondsLeft]);

  return (
    <div
      className={`flex flex-wrap items-center justify-between gap-x-4 gap-y-1 rounded-2xl border px-4 py-3 ${
        warning ? "border-amber-300 bg-amber-50 text-amber-950" : "border-brand-100 bg-brand-50 text-slate-900"
      }`}
    >
      <p className="text-sm font-medium">
        {warning ? "Hurry: your tickets are held for only" : "Your tickets are held for"}
      </p>
      <p
        role="timer"
        aria-label={`Time left: ${formatClock(secondsLeft)}`}
        className={`font-mono text-2xl font-bold tabular-nums ${warning ? "text-amber-800" : "text-brand-700"}`}
      >
        {formatClock(secondsLeft)}
      </p>
      <p className="sr-only" aria-live={warning ? "assertive" : "polite"} aria-atomic="true">
        {announcement}
      </p>
    </div>
  );
}
