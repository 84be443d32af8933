import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { json, makeUser, mockApi, problem, renderAt, signedIn } from "../auth/testing";
import { makeBooking, makeConfirmed } from "./fixtures";

const MINE = "GET /api/bookings/my/bookings";

function booking(n: number, overrides = {}) {
  return makeConfirmed({
    id: `b0000000-0000-4000-8000-00000000000${n}`,
    event_title: `Show number ${n}`,
    ...overrides,
  });
}

describe("my bookings", () => {
  it("lists bookings with event, date, status and total, and loads more with the cursor", async () => {
    const api = mockApi({
      [MINE]: (request) => {
        const cursor = new URL(request.url).searchParams.get("cursor");
        return cursor === "page-2"
          ? json({ items: [booking(3, { status: "cancelled", refunded_minor: 5000 })], next_cursor: null, total: 3 })
          : json({
              items: [booking(1), makeBooking({ id: "b0000000-0000-4000-8000-000000000002", event_title: "Show number 2" })],
              next_cursor: "page-2",
              total: 3,
            });
      },
    });
    renderAt("/my/bookings", signedIn(makeUser()));

    expect(await screen.findByRole("heading", { level: 1, name: "My bookings" })).toBeInTheDocument();
    const first = await screen.findByRole("article", { name: "Show number 1" });
    expect(within(first).getByText("Confirmed")).toBeInTheDocument();
    expect(within(first).getByText("€50.00")).toBeInTheDocument();
    expect(within(first).getByText(/14 Jun 2030|Jun 14, 2030/)).toBeInTheDocument();
    expect(within(first).getByText("2 × General admission")).toBeInTheDocument();
    expect(within(first).getByRole("link", { name: "Show number 1" })).toHaveAttribute(
      "href",
      "/bookings/b0000000-0000-4000-8000-000000000001",
    );

    const pending = screen.getByRole("article", { name: "Show number 2" });
    expect(within(pending).getByText("Awaiting payment")).toBeInTheDocument();
    expect(within(pending).getByRole("link", { name: "Complete payment" })).toHaveAttribute(
      "href",
      "/checkout/b0000000-0000-4000-8000-000000000002",
    );

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    const third = await screen.findByRole("article", { name: "Show number 3" });
    expect(within(third).getByText("Cancelled")).toBeInTheDocument();
    expect(within(third).getByText("(€50.00 refunded)")).toBeInTheDocument();
    expect(screen.getAllByRole("article")).toHaveLength(3);
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();

    const [page1, page2] = api.calls(MINE);
    expect(new URL(page1!.url).searchParams.get("cursor")).toBeNull();
    expect(new URL(page2!.url).searchParams.get("cursor")).toBe("page-2");
    expect(page1!.headers.get("Authorization")).toBe("Bearer access-1");
  });

  it("filters by status through the tabs", async () => {
    const api = mockApi({
      [MINE]: (request) => {
        const status = new URL(request.url).searchParams.get("status");
        return json({ items: status === "cancelled" ? [] : [booking(1)], next_cursor: null });
      },
    });
    const { router } = renderAt("/my/bookings", signedIn(makeUser()));
    await screen.findByRole("article", { name: "Show number 1" });
    const tabs = screen.getByRole("navigation", { name: "Filter bookings by status" });
    expect(within(tabs).getByRole("link", { name: "All" })).toHaveAttribute("aria-current", "page");

    await userEvent.click(within(tabs).getByRole("link", { name: "Cancelled" }));
    expect(await screen.findByRole("heading", { name: "No cancelled bookings" })).toBeInTheDocument();
    expect(router.state.location.search).toBe("?status=cancelled");
    expect(within(tabs).getByRole("link", { name: "Cancelled" })).toHaveAttribute("aria-current", "page");
    await waitFor(() => expect(api.calls(MINE).some((r) => new URL(r.url).searchParams.get("status") === "cancelled")).toBe(true));
  });

  it("has a friendly empty state and error state", async () => {
    mockApi({ [MINE]: [() => problem(500, { code: "internal_error" }), () => json({ items: [], next_cursor: null })] });
    renderAt("/my/bookings", signedIn(makeUser()));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("We couldn't load your bookings");
    await userEvent.click(within(alert).getByRole("button", { name: "Retry" }));

    expect(await screen.findByRole("heading", { name: "No bookings yet — find an event" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Find an event" })).toHaveAttribute("href", "/");
  });
});
