import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { json, makeUser, mockApi, problem, renderAt, signedIn } from "../auth/testing";
import { EVENT_ID, makeBooking, makeMyEvent } from "./fixtures";

vi.setConfig({ testTimeout: 30_000 });

const organizer = makeUser({ id: "0b6f7c1e-0000-4000-8000-0000000000bb", role: "organizer" });
const DRAFT_ID = "6f1c2a4e-0000-4000-8000-00000000d001";

describe("organizer dashboard", () => {
  it("invites to create the first event", async () => {
    mockApi({ "GET /api/events/my/events": () => json({ items: [], next_cursor: null }) });
    renderAt("/organizer", signedIn(organizer));
    expect(await screen.findByRole("heading", { name: "Create your first event" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Create your first event" })).toHaveAttribute("href", "/organizer/events/new");
  });

  it("shows each event's sales, revenue and actions; publishing reports what is missing", async () => {
    const published = makeMyEvent();
    const draft = makeMyEvent({ id: DRAFT_ID, title: "Autumn Draft", status: "draft", tickets_sold: 0, tickets_held: 0, starts_at: "2030-10-01T19:00:00Z", ends_at: "2030-10-01T22:00:00Z", version: 7 });
    const api = mockApi({
      "GET /api/events/my/events": () => json({ items: [draft, published], next_cursor: null }),
      [`GET /api/bookings/event/${EVENT_ID}/bookings`]: () =>
        json({ items: [makeBooking({ total_minor: 5000 }), makeBooking({ total_minor: 3000, refunded_minor: 1000 })], next_cursor: null, total: 2 }),
      [`POST /api/events/${DRAFT_ID}/publish`]: () =>
        problem(409, {
          code: "event_incomplete",
          title: "Conflict",
          errors: [{ field: "ticket_types", message: "add at least one visible ticket type" }],
        }),
    });
    renderAt("/organizer", signedIn(organizer));

    const cards = await screen.findAllByRole("article");
    expect(cards.map((c) => within(c).getByRole("heading").textContent)).toEqual(["Lisbon Jazz Night", "Autumn Draft"]); // next first
    const jazz = cards[0]!;
    expect(within(jazz).getByText("Published")).toBeInTheDocument();
    expect(within(jazz).getByRole("progressbar", { name: "Tickets sold for Lisbon Jazz Night" })).toHaveAttribute("aria-valuetext", "10 of 100 sold");
    expect(await within(jazz).findByText("€70.00")).toBeInTheDocument();
    expect(within(jazz).getByRole("link", { name: "Bookings of Lisbon Jazz Night" })).toHaveAttribute("href", `/organizer/events/${EVENT_ID}/bookings`);
    expect(within(jazz).getByRole("button", { name: "Cancel Lisbon Jazz Night" })).toBeInTheDocument();
    const sales = new URL(api.calls(`GET /api/bookings/event/${EVENT_ID}/bookings`)[0]!.url).searchParams;
    expect(sales.get("status")).toBe("confirmed");

    const autumn = cards[1]!;
    expect(within(autumn).getByText("Draft")).toBeInTheDocument();
    await userEvent.click(within(autumn).getByRole("button", { name: "Publish Autumn Draft" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Ticket types: add at least one visible ticket type");
    await waitFor(() => expect(api.calls(`POST /api/events/${DRAFT_ID}/publish`)[0]!.headers.get("If-Match")).toBe('"7"'));
  });
});
