/**
 * Test helpers for the identity screens: a fetch stub that answers by "METHOD /path" (so the
 * order of requests does not matter), user fixtures and an app renderer with a signed-in state.
 */
import { render } from "@testing-library/react";
import { Provider } from "react-redux";
import { createMemoryRouter, RouterProvider } from "react-router";
import { vi } from "vitest";
import { routes } from "../../app/router";
import { makeStore } from "../../app/store";
import type { AuthState, UserRead } from "./authSlice";

export type Handler = (request: Request) => Response | Promise<Response>;

export interface ApiMock {
  fetch: ReturnType<typeof vi.fn>;
  /** Every request, in the order they were sent. */
  requests: Request[];
  /** Requests to `METHOD /path`. */
  calls(route: string): Request[];
}

/**
 * Stubs `fetch`. Keys are "METHOD /path" (no query string); a value is a handler or a list of
 * handlers used in turn (the last one repeats). Unknown routes answer 404 problem+json.
 */
export function mockApi(table: Record<string, Handler | Handler[]>): ApiMock {
  const requests: Request[] = [];
  const used = new Map<string, number>();
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    requests.push(request.clone());
    const route = `${request.method} ${new URL(request.url).pathname}`;
    const entry = table[route];
    if (!entry) return problem(404, { code: "not_found", title: "Not found", detail: `No mock for ${route}` });
    const list = Array.isArray(entry) ? entry : [entry];
    const index = used.get(route) ?? 0;
    used.set(route, index + 1);
    const handler = list[Math.min(index, list.length - 1)]!;
    return handler(request);
  });
  vi.stubGlobal("fetch", fn);
  return {
    fetch: fn,
    requests,
    calls: (route: string) =>
      requests.filter((r) => `${r.method} ${new URL(r.url).pathname}` === route),
  };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export function problem(status: number, fields: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: "about:blank", title: "Error", status, ...fields }), {
    status,
    headers: { "Content-Type": "application/problem+json", ...headers },
  });
}

export const noContent = (): Response => new Response(null, { status: 204 });

export function makeUser(overrides: Partial<UserRead> = {}): UserRead {
  return {
    id: "0b6f7c1e-0000-4000-8000-000000000001",
    email: "casey@example.com",
    full_name: "Casey Customer",
    role: "customer",
    email_verified: true,
    is_active: true,
    created_at: "2025-01-15T10:00:00Z",
    ...overrides,
  };
}

export function tokenResponse(user: UserRead, accessToken = "access-1", expiresIn = 900) {
  return { access_token: accessToken, token_type: "bearer", expires_in: expiresIn, refresh_token: null, user };
}

/** A signed-in state as the app has it after a login. */
export function signedIn(user: UserRead, accessToken = "access-1"): AuthState {
  return {
    accessToken,
    expiresAt: Date.now() + 900_000,
    user,
    status: "authenticated",
    endedReason: null,
  };
}

/** The whole app at `url`, with an optional starting auth state. */
export function renderAt(url: string, auth?: AuthState) {
  const store = makeStore(auth ? { auth } : undefined);
  const router = createMemoryRouter(routes, { initialEntries: [url] });
  const view = render(
    <Provider store={store}>
      <RouterProvider router={router} />
    </Provider>,
  );
  return { store, router, ...view };
}

export async function bodyOf(request: Request): Promise<unknown> {
  return request.clone().json();
}
