import { api } from "../../app/api";
import type { components, paths } from "../../api/schema";

export type EventRead = components["schemas"]["EventRead"];
export type TicketTypeRead = components["schemas"]["TicketTypeRead"];

// Paths are checked against the generated schema so a renamed route fails `tsc`.
const EVENT = "/api/events/{id_or_slug}" satisfies keyof paths;
const CALENDAR = "/api/events/{id_or_slug}/calendar.ics" satisfies keyof paths;

export function eventPath(idOrSlug: string): string {
  return EVENT.replace("{id_or_slug}", encodeURIComponent(idOrSlug));
}

/** The .ics download ("Add to calendar"): public, so a plain link works. */
export function calendarUrl(idOrSlug: string): string {
  return CALENDAR.replace("{id_or_slug}", encodeURIComponent(idOrSlug));
}

export const eventsApi = api.injectEndpoints({
  endpoints: (build) => ({
    /** One event with its ticket types and current (dynamic) prices. */
    getEvent: build.query<EventRead, string>({
      query: (idOrSlug) => eventPath(idOrSlug),
      providesTags: (event, _error, idOrSlug) => [
        { type: "Event" as const, id: event?.id ?? idOrSlug },
      ],
    }),
  }),
});

export const { useGetEventQuery } = eventsApi;
