import { useEffect, useId, useState, type FormEvent } from "react";
import { Button } from "../../components/Button";

export function EventSearch({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const inputId = useId();
  const [draft, setDraft] = useState(value);

  // Keep the box in step with the URL (back/forward navigation).
  useEffect(() => setDraft(value), [value]);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    onSearch(draft.trim());
  }

  return (
    <form role="search" onSubmit={submit} className="flex w-full flex-col gap-2 sm:flex-row sm:items-end">
      <div className="flex-1">
        <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
          Search events
        </label>
        <div className="relative mt-1.5">
          <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 h-5 w-5 -translate-y-1/2 text-slate-400">
            <path fillRule="evenodd" d="M9 3.5a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11ZM2 9a7 7 0 1 1 12.452 4.391l3.328 3.329a.75.75 0 1 1-1.06 1.06l-3.329-3.328A7 7 0 0 1 2 9Z" clipRule="evenodd" />
          </svg>
          <input
            id={inputId}
            type="search"
            name="q"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="Concerts, workshops, cities…"
            autoComplete="off"
            className="block w-full rounded-lg border-0 bg-white py-2.5 pr-3 pl-10 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-brand-600 focus:outline-none"
          />
        </div>
      </div>
      <Button type="submit" className="sm:w-auto">
        Search
      </Button>
    </form>
  );
}
