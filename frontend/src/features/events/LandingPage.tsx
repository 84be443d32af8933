import { useSearchParams } from "react-router";
import { EventList } from "./EventList";
import { EventSearch } from "./EventSearch";

export function LandingPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";

  function search(next: string) {
    setParams(
      (prev) => {
        const updated = new URLSearchParams(prev);
        if (next) updated.set("q", next);
        else updated.delete("q");
        updated.delete("cursor");
        return updated;
      },
      { replace: false },
    );
  }

  return (
    <>
      <section className="border-b border-slate-200 bg-linear-to-b from-brand-50 to-slate-50">
        <div className="mx-auto max-w-6xl px-4 py-12 sm:px-6 sm:py-16 lg:px-8">
          <h1 className="max-w-2xl text-3xl font-bold tracking-tight text-slate-900 sm:text-5xl">
            Find something worth going to
          </h1>
          <p className="mt-4 max-w-xl text-base text-slate-700 sm:text-lg">
            Concerts, workshops, meetups and more. Book in seconds, get your QR ticket instantly.
          </p>
          <div className="mt-8 max-w-2xl">
            <EventSearch value={q} onSearch={search} />
          </div>
        </div>
      </section>

      <section aria-labelledby="events-heading" className="mx-auto max-w-6xl px-4 py-10 sm:px-6 lg:px-8">
        <h2 id="events-heading" className="mb-6 text-xl font-semibold text-slate-900">
          {q ? `Results for “${q}”` : "Upcoming events"}
        </h2>
        <EventList filters={q ? { q } : {}} />
      </section>
    </>
  );
}
