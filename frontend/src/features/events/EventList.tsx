import { queryErrorMessage, useListEventsQuery, type ListEventsArgs } from "../../app/api";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { EventCard } from "./EventCard";
import { EventCardSkeleton } from "./EventCardSkeleton";

const GRID = "grid grid-cols-1 gap-6 sm:grid-cols-2 lg:grid-cols-3";
const SKELETON_COUNT = 6;

export function EventList({ filters = {}, locale }: { filters?: ListEventsArgs; locale?: string }) {
  const { data, error, isLoading, isFetching, isError, refetch } = useListEventsQuery(filters);
  const searching = Boolean(filters.q || filters.category || filters.city);

  if (isLoading) {
    return (
      <div role="status" aria-busy="true" aria-live="polite">
        <span className="sr-only">Loading events…</span>
        <div className={GRID}>
          {Array.from({ length: SKELETON_COUNT }, (_, i) => (
            <EventCardSkeleton key={i} />
          ))}
        </div>
      </div>
    );
  }

  if (isError) {
    return (
      <ErrorState
        title="We couldn't load events"
        message={queryErrorMessage(error)}
        onRetry={() => void refetch()}
        retrying={isFetching}
      />
    );
  }

  const events = data?.items ?? [];
  if (events.length === 0) {
    return searching ? (
      <EmptyState title="No events match your search">Try a different word or clear the search.</EmptyState>
    ) : (
      <EmptyState title="No events yet">Check back soon: new events are published all the time.</EmptyState>
    );
  }

  return (
    <div aria-busy={isFetching} className={isFetching ? "opacity-70 transition-opacity" : "transition-opacity"}>
      <p className="sr-only" aria-live="polite">
        {events.length === 1 ? "1 event" : `${events.length} events`}
      </p>
      <ul role="list" className={GRID}>
        {events.map((event) => (
          <li key={event.id}>
            <EventCard event={event} {...(locale ? { locale } : {})} />
          </li>
        ))}
      </ul>
    </div>
  );
}
