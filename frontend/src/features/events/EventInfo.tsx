import type { ReactNode, RefObject } from "react";
import { Alert } from "../../components/Alert";
import { Badge } from "../../components/Badge";
import { formatEventRange, longZoneName, titleCase } from "./datetime";
import { calendarUrl, type EventRead } from "./eventsApi";
import { refundPolicyText } from "./policy";

function countryName(code: string | null, locale?: string): string | null {
  if (!code) return null;
  try {
    return new Intl.DisplayNames(locale ? [locale] : undefined, { type: "region" }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Venue, street, city and country, or "Online". */
export function placeLines(
  event: Pick<EventRead, "venue_name" | "address" | "city" | "country" | "online_url">,
  locale?: string,
): string[] {
  const lines = [event.venue_name, event.address, [event.city, countryName(event.country, locale)].filter(Boolean).join(", ")]
    .map((l) => l?.trim())
    .filter((l): l is string => Boolean(l));
  if (lines.length === 0) return [event.online_url ? "Online event" : "Location to be announced"];
  if (event.online_url) lines.push("Also online");
  return lines;
}

export function Fact({
  icon,
  label,
  children,
  className = "",
}: {
  icon: ReactNode;
  label: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    // A <dl> group may only hold <dt>/<dd>: the icon lives inside the <dt>, positioned to the left.
    <div className={`relative min-h-9 pl-12 text-sm ${className}`}>
      <dt className="font-semibold text-slate-900">
        <span
          className="absolute top-0 left-0 flex h-9 w-9 items-center justify-center rounded-xl bg-brand-50 text-brand-700"
          aria-hidden="true"
        >
          {icon}
        </span>
        {label}
      </dt>
      <dd className="mt-0.5 break-words text-slate-700">{children}</dd>
    </div>
  );
}

export const CalendarIcon = () => (
  <svg viewBox="0 0 20 20" fill="currentColor" className="h-5 w-5">
    <path
      fillRule="evenodd"
      d="M5.75 2a.75.75 0 0 1 .75.75V4h7V2.75a.75.75 0 0 1 1.5 0V4h.25A2.75 2.75 0 0 1 18 6.75v8.5A2.75 2.75 0 0 1 15.25 18H4.75A2.75 2.75 0 0 1 2 15.25v-8.5A2.75 2.75 0 0 1 4.75 4H5V2.75A.75.75 0 0 1 5.75 2Zm-1 5.5c-.69 0-1.25.56-1.25 1.25v6.5c0 .69.56 1.25 1.25 1.25h10.5c.69 0 1.25-.56 1.25-1.25v-6.5c0-.69-.56-1.25-1.25-1.25H4.75Z"
      clipRule="evenodd"
    />
  </svg>
);

export const PinIcon = () => (
  <svg viewBox="0 0 20 20" fill="currentColor" className="h-5 w-5">
    <path
      fillRule="evenodd"
      d="m9.69 18.933.003.001C9.89 19.02 10 19 10 19s.11.02.308-.066l.002-.001.006-.003.018-.008a5.741 5.741 0 0 0 .281-.14c.186-.096.446-.24.757-.433.62-.384 1.445-.966 2.274-1.765C15.302 14.988 17 12.493 17 9A7 7 0 1 0 3 9c0 3.492 1.698 5.988 3.355 7.584a13.731 13.731 0 0 0 2.273 1.765 11.842 11.842 0 0 0 .976.544l.062.029.018.008.006.003ZM10 11.25a2.25 2.25 0 1 0 0-4.5 2.25 2.25 0 0 0 0 4.5Z"
      clipRule="evenodd"
    />
  </svg>
);

export const RefundIcon = () => (
  <svg viewBox="0 0 20 20" fill="currentColor" className="h-5 w-5">
    <path
      fillRule="evenodd"
      d="M15.312 11.424a5.5 5.5 0 0 1-9.201 2.466l-.312-.311h2.433a.75.75 0 0 0 0-1.5H3.989a.75.75 0 0 0-.75.75v4.242a.75.75 0 0 0 1.5 0v-2.43l.31.31a7 7 0 0 0 11.712-3.138.75.75 0 0 0-1.449-.39Zm1.23-3.723a.75.75 0 0 0 .219-.53V2.929a.75.75 0 0 0-1.5 0V5.36l-.31-.31A7 7 0 0 0 3.239 8.188a.75.75 0 1 0 1.448.389A5.5 5.5 0 0 1 13.89 6.11l.311.31h-2.432a.75.75 0 0 0 0 1.5h4.243a.75.75 0 0 0 .53-.219Z"
      clipRule="evenodd"
    />
  </svg>
);

export function AddToCalendarLink({ idOrSlug, className = "" }: { idOrSlug: string; className?: string }) {
  return (
    <a
      href={calendarUrl(idOrSlug)}
      download
      className={`inline-flex items-center gap-1.5 rounded-lg bg-white px-3 py-2 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50 ${className}`}
    >
      <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 text-brand-600" aria-hidden="true">
        <path d="M10.75 6.75a.75.75 0 0 0-1.5 0v2.5h-2.5a.75.75 0 0 0 0 1.5h2.5v2.5a.75.75 0 0 0 1.5 0v-2.5h2.5a.75.75 0 0 0 0-1.5h-2.5v-2.5Z" />
      </svg>
      Add to calendar
    </a>
  );
}

/** Title, status notices and the key facts of an event (when, where, refunds). */
export function EventInfo({
  event,
  headingRef,
  locale,
}: {
  event: EventRead;
  headingRef: RefObject<HTMLHeadingElement>;
  locale?: string;
}) {
  const ended = event.status === "completed" || new Date(event.ends_at) <= new Date();
  const mapUrl =
    event.latitude !== null && event.longitude !== null
      ? `https://www.openstreetmap.org/?mlat=${event.latitude}&mlon=${event.longitude}#map=16/${event.latitude}/${event.longitude}`
      : null;

  return (
    <div>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone="brand">{titleCase(event.category)}</Badge>
        {event.sold_out && event.status === "published" ? <Badge tone="dark">Sold out</Badge> : null}
        {event.few_left && event.status === "published" ? <Badge tone="warning">Few left</Badge> : null}
      </div>
      <h1
        ref={headingRef}
        tabIndex={-1}
        className="mt-3 text-3xl font-bold tracking-tight break-words text-slate-900 focus:outline-none sm:text-4xl"
      >
        {event.title}
      </h1>
      {event.summary ? <p className="mt-3 max-w-prose text-lg break-words text-slate-700">{event.summary}</p> : null}

      <div className="mt-5 space-y-3">
        {event.status === "cancelled" ? (
          <Alert tone="error" title="This event was cancelled" live={false}>
            {event.cancelled_reason ? <p>{event.cancelled_reason}</p> : null}
            <p>Bookings are refunded automatically. See your bookings for details.</p>
          </Alert>
        ) : ended ? (
          <Alert tone="info" title="This event has ended" live={false}>
            Tickets are no longer on sale.
          </Alert>
        ) : event.status === "draft" ? (
          <Alert tone="warning" title="Draft: not published yet" live={false}>
            Only you and admins can see this page. Customers can book once the event is published.
          </Alert>
        ) : null}
      </div>

      <div className="mt-6 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
      <dl className="grid gap-5 sm:grid-cols-2">
        <Fact icon={<CalendarIcon />} label="Date and time">
          <time dateTime={event.starts_at}>{formatEventRange(event.starts_at, event.ends_at, event.timezone, locale)}</time>
          <span className="mt-0.5 block text-slate-600">
            Times in {longZoneName(event.starts_at, event.timezone, locale)} ({event.timezone})
          </span>
        </Fact>
        <Fact icon={<PinIcon />} label={event.online_url && !event.venue_name ? "Online" : "Location"}>
          {placeLines(event, locale).map((line, i) => (
            <span key={i} className={i === 0 ? "block font-medium text-slate-800" : "block"}>
              {line}
            </span>
          ))}
          {mapUrl ? (
            <a href={mapUrl} target="_blank" rel="noreferrer" className="mt-1 inline-block font-medium text-brand-700 underline underline-offset-2">
              Open map<span className="sr-only"> (opens in a new tab)</span>
            </a>
          ) : null}
        </Fact>
        <Fact icon={<RefundIcon />} label="Refund policy" className="sm:col-span-2">
          {refundPolicyText(event, locale)}
        </Fact>
      </dl>
        <div className="mt-5 flex flex-wrap items-center gap-2 border-t border-slate-100 pt-4">
          <AddToCalendarLink idOrSlug={event.slug || event.id} />
          {event.tags.length > 0 ? (
            <ul role="list" aria-label="Tags" className="flex flex-wrap gap-1.5">
              {event.tags.map((tag) => (
                <li key={tag}>
                  <span className="inline-flex rounded-full bg-slate-100 px-2.5 py-1 text-xs font-medium text-slate-700">#{tag}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
    </div>
  );
}
