import { api, type ApiError } from "../../app/api";
import type { components, operations, paths } from "../../api/schema";

export type BookingRead = components["schemas"]["BookingRead"];
export type BookingPage = components["schemas"]["BookingPage"];
export type BookingStatus = components["schemas"]["BookingStatus"];
type Role = components["schemas"]["Role"];
type AdminQuery = NonNullable<operations["bookings-admin-all"]["parameters"]["query"]>;
export type AdminBookingFilters = Pick<AdminQuery, "status" | "event_id" | "customer" | "created_from" | "created_to">;

const ADMIN_BOOKINGS = "/api/bookings/admin/all" satisfies keyof paths;
const USERS = "/api/users" satisfies keyof paths;
export const ADMIN_BOOKINGS_PAGE_SIZE = 50;
/** The overview pages through at most this many recent confirmed bookings (200 a page). */
export const RECENT_MAX_PAGES = 10;

function withoutEmpty(params: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") out[key] = value as string | number;
  }
  return out;
}

export interface RecentSales {
  bookings: BookingRead[];
  total: number;
  complete: boolean;
}

export const adminApi = api.enhanceEndpoints({ addTagTypes: ["AdminBookings", "AdminStats"] }).injectEndpoints({
  endpoints: (build) => ({
    adminBookings: build.infiniteQuery<BookingPage, AdminBookingFilters, string | null>({
      infiniteQueryOptions: {
        initialPageParam: null,
        getNextPageParam: (lastPage) => lastPage.next_cursor,
      },
      query: ({ queryArg, pageParam }) => ({
        url: ADMIN_BOOKINGS,
        params: withoutEmpty({ ...queryArg, limit: ADMIN_BOOKINGS_PAGE_SIZE, cursor: pageParam }),
      }),
      providesTags: ["AdminBookings"],
    }),

    /** How many accounts have a role (one tiny page; the total is what counts). */
    adminUserCount: build.query<number, Role>({
      query: (role) => ({ url: USERS, params: { role, limit: 1 } }),
      transformResponse: (page: components["schemas"]["UserPage"]) => page.total,
      providesTags: ["AdminStats"],
    }),

    adminBookingCount: build.query<number, BookingStatus>({
      query: (status) => ({ url: ADMIN_BOOKINGS, params: { status, limit: 1 } }),
      transformResponse: (page: BookingPage) => page.total ?? 0,
      providesTags: ["AdminStats", "AdminBookings"],
    }),

    /** Confirmed bookings created since `since` (ISO), newest first, up to a cap. */
    adminRecentSales: build.query<RecentSales, string>({
      async queryFn(since, _api, _extra, baseQuery) {
        const bookings: BookingRead[] = [];
        let cursor: string | null = null;
        let total = 0;
        let pages = 0;
        do {
          const result = await baseQuery({
            url: ADMIN_BOOKINGS,
            params: withoutEmpty({ status: "confirmed", created_from: since, limit: 200, cursor }),
          });
          if (result.error) return { error: result.error as ApiError };
          const page = result.data as BookingPage;
          bookings.push(...page.items);
          total = page.total ?? bookings.length;
          cursor = page.next_cursor;
          pages += 1;
        } while (cursor && pages < RECENT_MAX_PAGES);
        return { data: { bookings, total, complete: cursor === null } };
      },
      providesTags: ["AdminStats", "AdminBookings"],
    }),
  }),
});

export const { useAdminBookingsInfiniteQuery, useAdminUserCountQuery, useAdminBookingCountQuery, useAdminRecentSalesQuery } = adminApi;
