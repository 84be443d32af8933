import { api } from "../../app/api";
import type { components, operations, paths } from "../../api/schema";
import { selectCurrentUser, userUpdated, type AuthState } from "../auth/authSlice";

export type UserRead = components["schemas"]["UserRead"];
export type UserPage = components["schemas"]["UserPage"];
export type Role = components["schemas"]["Role"];
type ListQuery = NonNullable<operations["users-list"]["parameters"]["query"]>;
/** The filters of the listing; the cursor is the infinite query's page parameter. */
export type UserFilters = Pick<ListQuery, "q" | "role">;

const USERS = "/api/users" satisfies keyof paths;
const ROLE = "/api/users/{user_id}/role" satisfies keyof paths;
const ACTIVE = "/api/users/{user_id}/active" satisfies keyof paths;
export const USERS_PAGE_SIZE = 25;

function userPath(template: typeof ROLE | typeof ACTIVE, id: string): string {
  return template.replace("{user_id}", encodeURIComponent(id));
}

export const usersApi = api.enhanceEndpoints({ addTagTypes: ["User"] }).injectEndpoints({
  endpoints: (build) => ({
    listUsers: build.infiniteQuery<UserPage, UserFilters, string | null>({
      infiniteQueryOptions: {
        initialPageParam: null,
        getNextPageParam: (lastPage) => lastPage.next_cursor,
      },
      query: ({ queryArg, pageParam }) => {
        const params: Record<string, string | number> = { limit: USERS_PAGE_SIZE };
        if (queryArg.q) params.q = queryArg.q;
        if (queryArg.role) params.role = queryArg.role;
        if (pageParam) params.cursor = pageParam;
        return { url: USERS, params };
      },
      providesTags: [{ type: "User", id: "LIST" }],
    }),

    changeRole: build.mutation<UserRead, { id: string; role: Role; filters: UserFilters }>({
      query: ({ id, role }) => ({ url: userPath(ROLE, id), method: "PUT", body: { role } }),
      onQueryStarted: ({ id, role, filters }, { dispatch, getState, queryFulfilled }) =>
        optimistic({ dispatch, getState, queryFulfilled }, filters, id, { role }),
    }),

    setActive: build.mutation<UserRead, { id: string; isActive: boolean; filters: UserFilters }>({
      query: ({ id, isActive }) => ({ url: userPath(ACTIVE, id), method: "PUT", body: { is_active: isActive } }),
      onQueryStarted: ({ id, isActive, filters }, { dispatch, getState, queryFulfilled }) =>
        optimistic({ dispatch, getState, queryFulfilled }, filters, id, { is_active: isActive }),
    }),
  }),
});

/** Shows the change in the table at once; rolls it back if the server says no. */
async function optimistic(
  {
    dispatch,
    getState,
    queryFulfilled,
  }: {
    dispatch: (action: unknown) => unknown;
    getState: () => unknown;
    queryFulfilled: Promise<{ data: UserRead }>;
  },
  filters: UserFilters,
  id: string,
  change: Partial<UserRead>,
): Promise<void> {
  const patch = dispatch(
    usersApi.util.updateQueryData("listUsers", filters, (draft) => {
      for (const page of draft.pages) {
        const user = page.items.find((u) => u.id === id);
        if (user) Object.assign(user, change);
      }
    }),
  ) as { undo: () => void };
  try {
    const { data } = await queryFulfilled;
    // Settle on the server's version, and keep the header in step if admins edit themselves.
    dispatch(
      usersApi.util.updateQueryData("listUsers", filters, (draft) => {
        for (const page of draft.pages) {
          const index = page.items.findIndex((u) => u.id === id);
          if (index >= 0) page.items[index] = data;
        }
      }),
    );
    if (selectCurrentUser(getState() as { auth: AuthState })?.id === data.id) dispatch(userUpdated(data));
  } catch {
    patch.undo();
  }
}

export const { useListUsersInfiniteQuery, useChangeRoleMutation, useSetActiveMutation } = usersApi;
