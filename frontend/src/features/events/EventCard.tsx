import { Link } from "react-router";
import type { EventSummary } from "../../app/api";
import { availability, eventDateParts, formatEventDate, formatPriceFrom } from "../../lib/format";

function titleCase(value: string): string {
  return value
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

function StatusBadge({ event }: { event: EventSummary }) {
  if (event.status === "cancelled") {
    return <Badge className="bg-red-100 text-red-800 ring-red-200">Cancelled</Badge>;
  }
  switch (availability(event.remaining)) {
    case "sold-out":
      return <Badge className="bg-slate-900 text-white ring-slate-900">Sold out</Badge>;
    case "few-left":
      return <Badge className="bg-amber-100 text-amber-900 ring-amber-300">Few left</Badge>;
    default:
      return null;
  }
}

function Badge({ className, children }: { className: string; children: string }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2.5 py-1 text-xs font-semibold ring-1 ring-inset ${className}`}>
      {children}
    </span>
  );
}

export function EventCard({ event, locale }: { event: EventSummary; locale?: string }) {
  const when = formatEventDate(event.starts_at, event.timezone, locale);
  const tile = eventDateParts(event.starts_at, event.timezone, locale);
  const price = formatPriceFrom(event.price_from_minor, event.price_to_minor, event.currency, locale);
  const place = [event.venue_name, event.city].filter(Boolean).join(", ");
  const soldOut = event.remaining === 0 || event.status === "cancelled";
  const headingId = `event-${event.id}-title`;

  return (
    <article
      aria-labelledby={headingId}
      className="group relative flex h-full flex-col overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm transition focus-within:ring-2 focus-within:ring-brand-600 hover:-translate-y-0.5 hover:shadow-md"
    >
      <div className="relative aspect-[16/9] overflow-hidden bg-linear-to-br from-brand-500 via-indigo-500 to-fuchsia-500">
        {event.cover_image_url ? (
          <img
            src={event.cover_image_url}
            alt=""
            loading="lazy"
            decoding="async"
            className={`h-full w-full object-cover transition duration-300 group-hover:scale-[1.02] ${soldOut ? "grayscale" : ""}`}
          />
        ) : (
          <div aria-hidden="true" className="flex h-full items-end p-4">
            <span className="text-5xl font-black tracking-tight text-white/25">{titleCase(event.category)}</span>
          </div>
        )}
        <div aria-hidden="true" className="absolute top-3 left-3 flex w-14 flex-col items-center rounded-xl bg-white/95 py-1.5 shadow-sm">
          <span className="text-[11px] font-semibold uppercase tracking-wide text-brand-700">{tile.month}</span>
          <span className="text-xl leading-none font-bold text-slate-900">{tile.day}</span>
        </div>
        <div className="absolute top-3 right-3">
          <StatusBadge event={event} />
        </div>
      </div>

      <div className="flex flex-1 flex-col gap-3 p-5">
        <div>
          <span className="inline-flex items-center rounded-full bg-brand-50 px-2.5 py-0.5 text-xs font-medium text-brand-700 ring-1 ring-inset ring-brand-100">
            {titleCase(event.category)}
          </span>
        </div>
        <h3 id={headingId} className="text-lg leading-snug font-semibold break-words text-slate-900">
          {/* The whole card is the link's target area (the ::after overlay); the title is its name. */}
          <Link
            to={`/events/${encodeURIComponent(event.slug || event.id)}`}
            className="after:absolute after:inset-0 after:content-[''] hover:text-brand-700 focus:outline-none focus-visible:outline-none"
          >
            {event.title}
          </Link>
        </h3>
        <dl className="space-y-1.5 text-sm text-slate-600">
          <div className="flex items-start gap-2">
            <dt className="sr-only">Date</dt>
            <CalendarIcon />
            <dd>
              <time dateTime={event.starts_at}>{when}</time>
            </dd>
          </div>
          {place ? (
            <div className="flex items-start gap-2">
              <dt className="sr-only">Location</dt>
              <PinIcon />
              <dd>{place}</dd>
            </div>
          ) : null}
        </dl>
        {event.summary ? <p className="line-clamp-2 text-sm text-slate-600">{event.summary}</p> : null}
        <div className="mt-auto flex items-center justify-between border-t border-slate-100 pt-4">
          <p className={`text-sm font-semibold ${soldOut ? "text-slate-500 line-through" : "text-slate-900"}`}>
            {price ?? "Tickets coming soon"}
          </p>
        </div>
      </div>
    </article>
  );
}

function CalendarIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" className="mt-0.5 h-4 w-4 shrink-0 text-slate-400" aria-hidden="true">
      <path fillRule="evenodd" d="M5.75 2a.75.75 0 0 1 .75.75V4h7V2.75a.75.75 0 0 1 1.5 0V4h.25A2.75 2.75 0 0 1 18 6.75v8.5A2.75 2.75 0 0 1 15.25 18H4.75A2.75 2.75 0 0 1 2 15.25v-8.5A2.75 2.75 0 0 1 4.75 4H5V2.75A.75.75 0 0 1 5.75 2Zm-1 5.5c-.69 0-1.25.56-1.25 1.25v6.5c0 .69.56 1.25 1.25 1.25h10.5c.69 0 1.25-.56 1.25-1.25v-6.5c0-.69-.56-1.25-1.25-1.25H4.75Z" clipRule="evenodd" />
    </svg>
  );
}

function PinIcon() {
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" className="mt-0.5 h-4 w-4 shrink-0 text-slate-400" aria-hidden="true">
      <path fillRule="evenodd" d="m9.69 18.933.003.001C9.89 19.02 10 19 10 19s.11.02.308-.066l.002-.001.006-.003.018-.008a5.741 5.741 0 0 0 .281-.14c.186-.096.446-.24.757-.433.62-.384 1.445-.966 2.274-1.765C15.302 14.988 17 12.493 17 9A7 7 0 1 0 3 9c0 3.492 1.698 5.988 3.355 7.584a13.731 13.731 0 0 0 2.273 1.765 11.842 11.842 0 0 0 .976.544l.062.029.018.008.006.003ZM10 11.25a2.25 2.25 0 1 0 0-4.5 2.25 2.25 0 0 0 0 4.5Z" clipRule="evenodd" />
    </svg>
  );
}
