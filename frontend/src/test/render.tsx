import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { Provider } from "react-redux";
import { createMemoryRouter, MemoryRouter, RouterProvider } from "react-router";
import { routes } from "../app/router";
import { makeStore, type RootState } from "../app/store";

/** Renders a component with a fresh store (no cache shared between tests). */
export function renderWithStore(ui: ReactElement, preloadedState?: Partial<RootState>) {
  const store = makeStore(preloadedState);
  return { store, ...render(<Provider store={store}><MemoryRouter>{ui}</MemoryRouter></Provider>) };
}

/** Renders the whole app at a URL, as the browser router would. */
export function renderApp(url = "/") {
  const store = makeStore();
  const router = createMemoryRouter(routes, { initialEntries: [url] });
  return { store, router, ...render(<Provider store={store}><RouterProvider router={router} /></Provider>) };
}

export function jsonResponse(body: unknown, status = 200, contentType = "application/json"): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": contentType } });
}

export function problemResponse(status: number, problem: Record<string, unknown>): Response {
  return jsonResponse({ status, ...problem }, status, "application/problem+json");
}
