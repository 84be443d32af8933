import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { makeEvent, makePage } from "../../test/fixtures";
import { jsonResponse, problemResponse, renderApp, renderWithStore } from "../../test/render";
import { EventList } from "./EventList";

function mockFetch(...responses: Array<Response | Promise<Response>>) {
  const fn = vi.fn<(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>>();
  for (const r of responses) fn.mockImplementationOnce(() => Promise.resolve(r));
  vi.stubGlobal("fetch", fn);
  return fn;
}

// Decorative text inside aria-hidden regions is not what a user "sees" as content.
const visible = { ignore: '[aria-hidden="true"] *, script, style' };

function requestOf(call: Parameters<typeof fetch>): Request {
  const [input, init] = call;
  return input instanceof Request ? input : new Request(input, init);
}

describe("EventList", () => {
  it("shows skeleton cards with aria-busy while loading", async () => {
    mockFetch(new Promise<Response>(() => {}));
    renderWithStore(<EventList />);

    const status = await screen.findByRole("status");
    expect(status).toHaveAttribute("aria-busy", "true");
    expect(status).toHaveTextContent("Loading events");
    expect(screen.queryByRole("article")).not.toBeInTheDocument();
  });

  it("shows an empty state when there are no events", async () => {
    mockFetch(jsonResponse(makePage([])));
    renderWithStore(<EventList />);

    expect(await screen.findByRole("heading", { name: "No events yet" })).toBeInTheDocument();
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });

  it("renders a card per event with date, place, price, category and badges", async () => {
    const fetchMock = mockFetch(
      jsonResponse(
        makePage([
          makeEvent(),
          makeEvent({
            id: "6f1c2a4e-0000-4000-8000-000000000002",
            title: "Sold Out Show",
            remaining: 0,
            category: "comedy",
            price_from_minor: 2000,
            price_to_minor: 2000,
          }),
          makeEvent({ id: "6f1c2a4e-0000-4000-8000-000000000003", title: "Almost Gone", remaining: 4, city: null, venue_name: null }),
        ]),
      ),
    );
    renderWithStore(<EventList locale="en-GB" />);

    const cards = await screen.findAllByRole("article");
    expect(cards).toHaveLength(3);

    const jazz = screen.getByRole("article", { name: "Lisbon Jazz Night" });
    expect(within(jazz).getByText("from €12.50")).toBeInTheDocument();
    expect(within(jazz).getByText("Casa Azul, Lisbon")).toBeInTheDocument();
    expect(within(jazz).getByText("Music", visible)).toBeInTheDocument();
    // 20:00 UTC is 21:00 in Lisbon in June: the card uses the event's timezone.
    const time = within(jazz).getByText(/14 Jun 2030/);
    expect(time.tagName).toBe("TIME");
    expect(time).toHaveAttribute("datetime", "2030-06-14T20:00:00Z");
    expect(time.textContent).toMatch(/21:00/);
    expect(within(jazz).queryByText("Sold out")).not.toBeInTheDocument();
    expect(within(jazz).queryByText("Few left")).not.toBeInTheDocument();

    const soldOut = screen.getByRole("article", { name: "Sold Out Show" });
    expect(within(soldOut).getByText("Sold out")).toBeInTheDocument();
    expect(within(soldOut).getByText("€20.00")).toBeInTheDocument();
    expect(within(soldOut).getByText("Comedy", visible)).toBeInTheDocument();

    const almost = screen.getByRole("article", { name: "Almost Gone" });
    expect(within(almost).getByText("Few left")).toBeInTheDocument();
    expect(within(almost).queryByText(/Lisbon/)).not.toBeInTheDocument();

    const request = requestOf(fetchMock.mock.calls[0]!);
    expect(new URL(request.url).pathname).toBe("/api/events");
    expect(request.headers.get("Authorization")).toBeNull();
  });

  it("passes filters as query parameters and sends the bearer token", async () => {
    const fetchMock = mockFetch(jsonResponse(makePage([])));
    renderWithStore(<EventList filters={{ q: "jazz", city: "", limit: 12 }} />, {
      auth: { accessToken: "secret-token" },
    });

    expect(await screen.findByRole("heading", { name: "No events match your search" })).toBeInTheDocument();
    const request = requestOf(fetchMock.mock.calls[0]!);
    const url = new URL(request.url);
    expect(url.searchParams.get("q")).toBe("jazz");
    expect(url.searchParams.get("limit")).toBe("12");
    expect(url.searchParams.has("city")).toBe(false);
    expect(request.headers.get("Authorization")).toBe("Bearer secret-token");
  });

  it("shows the problem+json detail and retries on demand", async () => {
    const fetchMock = mockFetch(
      problemResponse(503, {
        type: "about:blank",
        title: "Service Unavailable",
        detail: "Event search is warming up, try again in a moment.",
        code: "search_unavailable",
      }),
      jsonResponse(makePage([makeEvent()])),
    );
    renderWithStore(<EventList />);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("We couldn't load events");
    expect(alert).toHaveTextContent("Event search is warming up, try again in a moment.");

    await userEvent.click(within(alert).getByRole("button", { name: "Retry" }));

    expect(await screen.findByRole("article", { name: "Lisbon Jazz Night" })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("explains a network failure in plain words", async () => {
    const fn = vi.fn(() => Promise.reject(new TypeError("Failed to fetch")));
    vi.stubGlobal("fetch", fn);
    renderWithStore(<EventList />);

    expect(await screen.findByRole("alert")).toHaveTextContent("We couldn't reach Boxoffice");
  });
});

describe("landing page", () => {
  it("searching sets q in the URL and refetches", async () => {
    const fetchMock = mockFetch(jsonResponse(makePage([makeEvent()])), jsonResponse(makePage([])));
    const { router } = renderApp("/");

    expect(await screen.findByRole("heading", { level: 1, name: /find something/i })).toBeInTheDocument();
    expect(await screen.findByRole("article", { name: "Lisbon Jazz Night" })).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText("Search events"), "  techno ");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));

    await waitFor(() => expect(router.state.location.search).toBe("?q=techno"));
    expect(await screen.findByRole("heading", { name: "No events match your search" })).toBeInTheDocument();
    const second = requestOf(fetchMock.mock.calls[1]!);
    expect(new URL(second.url).searchParams.get("q")).toBe("techno");
  });

  it("has landmarks and a skip link", async () => {
    mockFetch(jsonResponse(makePage([])));
    renderApp("/");

    expect(screen.getByRole("banner")).toHaveTextContent("Boxoffice");
    expect(screen.getByRole("navigation", { name: "Main" })).toBeInTheDocument();
    expect(screen.getByRole("main")).toHaveAttribute("id", "main");
    expect(screen.getByRole("contentinfo")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Skip to content" })).toHaveAttribute("href", "#main");
    expect(await screen.findByRole("heading", { name: "No events yet" })).toBeInTheDocument();
  });

  it("sends /events to the listing, keeping the search", async () => {
    const fetchMock = mockFetch(jsonResponse(makePage([makeEvent()])));
    const { router } = renderApp("/events?q=jazz");

    expect(await screen.findByRole("article", { name: "Lisbon Jazz Night" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/");
    expect(router.state.location.search).toBe("?q=jazz");
    expect(new URL(requestOf(fetchMock.mock.calls[0]!).url).searchParams.get("q")).toBe("jazz");
  });

  it("shows a 404 page for unknown routes", async () => {
    const fetchMock = mockFetch();
    renderApp("/no/such/page");

    expect(await screen.findByRole("heading", { level: 1, name: "Page not found" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Browse events" })).toHaveAttribute("href", "/");
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
