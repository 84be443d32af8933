import { useRef } from "react";
import { Link, useParams } from "react-router";
import { Alert } from "../../components/Alert";
import { PageSpinner } from "../../components/Spinner";
import { useFocusOnNavigation } from "../../components/useFocusOnNavigation";
import { usePageTitle } from "../../components/usePageTitle";
import { formatInZone } from "../events/datetime";
import { CheckinCounter } from "./CheckinCounter";
import { useCheckinSummaryQuery, useMyDoorsQuery } from "./doorApi";
import { Scanner } from "./Scanner";
import { useOnline } from "./useOnline";

/** The counter re-reads this often (other doors admit people too). */
export const SUMMARY_POLL_MS = 10_000;

/** `/door/:eventId`: scan tickets at the entrance of one event. */
export function DoorScannerPage() {
  const { eventId = "" } = useParams();
  const doors = useMyDoorsQuery();
  const door = doors.data?.find((d) => d.id === eventId);
  usePageTitle(door ? `Door: ${door.title}` : "Door check");
  const headingRef = useRef<HTMLHeadingElement>(null);
  useFocusOnNavigation(headingRef);
  const online = useOnline();

  const summary = useCheckinSummaryQuery(eventId, {
    pollingInterval: SUMMARY_POLL_MS,
    skipPollingIfUnfocused: true,
    refetchOnMountOrArgChange: true,
    refetchOnReconnect: true,
  });
  const status = summary.error && "status" in summary.error ? summary.error.status : undefined;

  const header = (
    <div className="flex items-start justify-between gap-3">
      <div className="min-w-0">
        <h1 ref={headingRef} tabIndex={-1} className="text-2xl leading-tight font-bold break-words text-slate-900 focus:outline-none">
          {door?.title ?? "Door check"}
        </h1>
        {door ? (
          <p className="mt-0.5 text-sm text-slate-600">
            <time dateTime={door.starts_at}>{formatInZone(door.starts_at, door.timezone)}</time>
            {door.venue_name ? ` · ${door.venue_name}` : ""}
          </p>
        ) : null}
      </div>
      <Link
        to="/door"
        className="inline-flex h-11 shrink-0 items-center rounded-lg px-3 text-sm font-semibold text-brand-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
      >
        All doors
      </Link>
    </div>
  );

  let body;
  if (status === 403) {
    body = (
      <Alert tone="error" title="You're not on the door list for this event" className="text-base">
        <p>Ask the organizer to add you to the door list, then open this page again.</p>
      </Alert>
    );
  } else if (status === 404 || status === 422) {
    body = (
      <Alert tone="error" title="We couldn't find this event" className="text-base">
        <p>
          Check the link, or pick the event from{" "}
          <Link to="/door" className="font-semibold underline">
            your doors
          </Link>
          .
        </p>
      </Alert>
    );
  } else if (summary.isLoading) {
    // Wait for the access check so nobody is asked for the camera on a door they can't scan.
    body = <PageSpinner label="Opening the door…" />;
  } else {
    body = (
      <div className="space-y-4">
        <CheckinCounter
          summary={summary.data}
          updatedAt={summary.fulfilledTimeStamp}
          stale={summary.isError || (!online && summary.data !== undefined)}
        />
        <Scanner eventId={eventId} />
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-xl space-y-4 px-3 pt-4 pb-10 sm:px-6">
      {header}
      {!online ? (
        <Alert tone="warning" title="No internet connection">
          Tickets can't be checked until the connection is back. Nothing is saved on this phone in the meantime, so
          scan again once you're online.
        </Alert>
      ) : null}
      {body}
    </div>
  );
}
