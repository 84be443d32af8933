export function Spinner({ className = "h-5 w-5" }: { className?: string }) {
  return (
    <svg className={`animate-spin ${className}`} viewBox="0 0 24 24" fill="none" aria-hidden="true" focusable="false">
      <circle className="opacity-25" cx="12" cy="12" r="10" stroke="currentColor" strokeWidth="4" />
      <path className="opacity-90" fill="currentColor" d="M4 12a8 8 0 0 1 8-8v4a4 4 0 0 0-4 4H4Z" />
    </svg>
  );
}

/** A whole-page wait (e.g. while the session is being restored), announced politely. */
export function PageSpinner({ label = "Loading…" }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true" className="flex min-h-[50vh] flex-col items-center justify-center gap-3 px-4 text-slate-600">
      <Spinner className="h-8 w-8 text-brand-600" />
      <span className="text-sm font-medium">{label}</span>
    </div>
  );
}
