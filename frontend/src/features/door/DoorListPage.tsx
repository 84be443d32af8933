import { useRef } from "react";
import { Link } from "react-router";
import { Badge, type BadgeTone } from "../../components/Badge";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { useFocusOnNavigation } from "../../components/useFocusOnNavigation";
import { usePageTitle } from "../../components/usePageTitle";
import { describeError } from "../auth/problems";
import { formatInZone } from "../events/datetime";
import { useMyDoorsQuery, type DoorEvent } from "./doorApi";

const ROLES: Record<string, { label: string; tone: BadgeTone }> = {
  organizer: { label: "Organizer", tone: "brand" },
  staff: { label: "Door staff", tone: "neutral" },
  admin: { label: "Admin", tone: "dark" },
};

/** `/door`: the upcoming events I may check tickets in for. */
export function DoorListPage() {
  usePageTitle("Door check");
  const headingRef = useRef<HTMLHeadingElement>(null);
  useFocusOnNavigation(headingRef);
  const doors = useMyDoorsQuery(undefined, { refetchOnMountOrArgChange: true });

  let body;
  if (doors.isLoading) {
    body = (
      <div role="status" aria-busy="true" aria-live="polite">
        <span className="sr-only">Loading your doors…</span>
        <ul aria-hidden="true" className="space-y-3">
          {[0, 1].map((i) => (
            <li key={i} className="h-24 animate-pulse rounded-2xl bg-slate-200" />
          ))}
        </ul>
      </div>
    );
  } else if (doors.isError && !doors.data) {
    body = (
      <ErrorState
        title="We couldn't load your doors"
        message={describeError(doors.error).message}
        onRetry={() => void doors.refetch()}
        retrying={doors.isFetching}
      />
    );
  } else if (!doors.data || doors.data.length === 0) {
    body = (
      <EmptyState title="No events to scan">
        <p>Ask the organizer to add you to the door list. Their event then shows up here.</p>
        <p className="mt-1">Events you organize are listed here automatically until they end.</p>
      </EmptyState>
    );
  } else {
    body = (
      <ul role="list" className="space-y-3">
        {doors.data.map((door) => (
          <li key={door.id}>
            <DoorCard door={door} />
          </li>
        ))}
      </ul>
    );
  }

  return (
    <div className="mx-auto max-w-xl px-4 py-6 sm:px-6">
      <h1 ref={headingRef} tabIndex={-1} className="text-3xl font-bold tracking-tight text-slate-900 focus:outline-none">
        Door check
      </h1>
      <p className="mt-2 text-slate-600">Pick an event to scan tickets at its entrance.</p>
      <div className="mt-6">{body}</div>
    </div>
  );
}

function DoorCard({ door }: { door: DoorEvent }) {
  const role = ROLES[door.role] ?? { label: door.role, tone: "neutral" as const };
  const started = new Date(door.starts_at).getTime() <= Date.now();
  return (
    <Link
      to={`/door/${door.id}`}
      className="flex min-h-20 items-center gap-4 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm transition hover:border-brand-300 hover:shadow-md"
    >
      <div className="min-w-0 flex-1">
        <p className="text-lg leading-snug font-semibold break-words text-slate-900">{door.title}</p>
        <p className="mt-1 text-sm text-slate-600">
          <time dateTime={door.starts_at}>{formatInZone(door.starts_at, door.timezone)}</time>
        </p>
        {door.venue_name ? <p className="text-sm break-words text-slate-600">{door.venue_name}</p> : null}
        <div className="mt-2 flex flex-wrap gap-1.5">
          {started ? <Badge tone="success">On now</Badge> : null}
          <Badge tone={role.tone}>{role.label}</Badge>
        </div>
      </div>
      <svg viewBox="0 0 20 20" fill="currentColor" className="h-6 w-6 shrink-0 text-slate-400" aria-hidden="true" focusable="false">
        <path fillRule="evenodd" clipRule="evenodd" d="M7.21 14.77a.75.75 0 0 1 .02-1.06L11.168 10 7.23 6.29a.75.75 0 1 1 1.04-1.08l4.5 4.25a.75.75 0 0 1 0 1.08l-4.5 4.25a.75.75 0 0 1-1.06-.02Z" />
      </svg>
    </Link>
  );
}
