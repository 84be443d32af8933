import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Sale } from "../../realtime/messages";
import { fakeSockets } from "../../realtime/testing";
import { json, makeUser, mockApi, renderAt, signedIn } from "../auth/testing";
import { EVENT_ID, makeBooking, makeMyEvent } from "./fixtures";

vi.setConfig({ testTimeout: 30_000 });

const organizer = makeUser({ id: "0b6f7c1e-0000-4000-8000-0000000000bb", role: "organizer" });
const LIST = "GET /api/events/my/events";
const SALES = `GET /api/bookings/event/${EVENT_ID}/bookings`;
const CHECKINS = `GET /api/events/${EVENT_ID}/checkins/summary`;

function sale(overrides: Partial<Sale> = {}): Sale {
  return {
    event_id: EVENT_ID,
    booking_id: "0d0d0d0d-0000-4000-8000-00000000ffff",
    status: "confirmed",
    change: "status",
    quantity: 2,
    total_minor: 5000,
    currency: "EUR",
    at: "2030-02-01T10:05:00Z",
    ...overrides,
  };
}

describe("organizer dashboard, live", () => {
  it("joins the organizer's room; a sale updates sold and revenue and shows in the activity list; check-ins count", async () => {
    const api = mockApi({
      [LIST]: [() => json({ items: [makeMyEvent()], next_cursor: null }), () => json({ items: [makeMyEvent({ tickets_sold: 12, tickets_held: 0 })], next_cursor: null })],
      [SALES]: [
        () => json({ items: [makeBooking({ total_minor: 5000 })], next_cursor: null, total: 1 }),
        () => json({ items: [makeBooking({ total_minor: 5000 }), makeBooking({ total_minor: 5000 })], next_cursor: null, total: 2 }),
      ],
      [CHECKINS]: () => json({ event_id: EVENT_ID, checked_in: 3, sold: 10 }),
    });
    renderAt("/organizer", signedIn(organizer));

    const sold = await screen.findByTestId("live-sold-count");
    expect(sold).toHaveTextContent("10");
    await waitFor(() => expect(screen.getByTestId("live-checkins-count")).toHaveTextContent("3"));
    await waitFor(() => expect(screen.getByTestId("live-revenue")).toHaveTextContent("€50.00"));

    const socket = fakeSockets().current;
    act(() => socket.accept());
    expect(socket.auths).toEqual([{ token: "access-1" }]);
    expect(socket.sent("join_organizer")).toEqual([{}]);
    expect(screen.getByRole("heading", { level: 1, name: "My events" }).parentElement).toHaveTextContent("Live");
    const activity = screen.getByRole("region", { name: "Live activity" });
    expect(within(activity).getByText("New sales appear here as they happen.")).toBeInTheDocument();

    // A hold starting is not a sale (it refetches the counts, the list stays empty).
    act(() => socket.push("sale", sale({ status: "pending_payment", at: "2030-02-01T10:04:00Z" })));
    expect(within(activity).queryAllByRole("listitem")).toHaveLength(0);
    act(() => socket.push("sale", sale()));
    await waitFor(() => expect(screen.getByTestId("live-sold-count")).toHaveTextContent("12"));
    await waitFor(() => expect(screen.getByTestId("live-revenue")).toHaveTextContent("€100.00"));
    const card = screen.getByRole("article", { name: "Lisbon Jazz Night" });
    expect(within(card).getByRole("progressbar")).toHaveAttribute("aria-valuetext", "12 of 100 sold");
    const items = within(screen.getByTestId("live-activity")).getAllByRole("listitem");
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent(/Sold 2 tickets\s*€50\.00\s*Lisbon Jazz Night/);
    expect(screen.getByTestId("live-activity")).toHaveAttribute("aria-live", "polite");

    act(() => socket.push("checkin", { event_id: EVENT_ID, checked_in: 4, sold: 12, at: "2030-02-01T10:06:00Z" }));
    await waitFor(() => expect(screen.getByTestId("live-checkins-count")).toHaveTextContent("4"));
    expect(within(card).getByText("4 checked in")).toBeInTheDocument();
    // Counts are absolute: an older message does not take them back.
    act(() => socket.push("checkin", { event_id: EVENT_ID, checked_in: 3, sold: 12, at: "2030-02-01T10:05:30Z" }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.getByTestId("live-checkins-count")).toHaveTextContent("4");
    expect(api.calls(CHECKINS)).toHaveLength(1);
  });

  it("a partial refund refetches the figures but is not listed as a sale", async () => {
    const api = mockApi({
      [LIST]: [
        () => json({ items: [makeMyEvent({ tickets_sold: 12, tickets_held: 0 })], next_cursor: null }),
        () => json({ items: [makeMyEvent({ tickets_sold: 11, tickets_held: 0 })], next_cursor: null }),
      ],
      [SALES]: () => json({ items: [makeBooking({ total_minor: 5000 })], next_cursor: null, total: 1 }),
      [CHECKINS]: () => json({ event_id: EVENT_ID, checked_in: 0, sold: 12 }),
    });
    renderAt("/organizer", signedIn(organizer));
    const sold = await screen.findByTestId("live-sold-count");
    expect(sold).toHaveTextContent("12");
    const socket = fakeSockets().current;
    act(() => socket.accept());

    act(() => socket.push("sale", sale({ change: "tickets_refunded" })));
    await waitFor(() => expect(screen.getByTestId("live-sold-count")).toHaveTextContent("11"));
    expect(api.calls(LIST).length).toBeGreaterThanOrEqual(2);
    expect(within(screen.getByTestId("live-activity")).queryAllByRole("listitem")).toHaveLength(0);
  });

  it("refetches at most about once a second while sales pour in", async () => {
    const api = mockApi({
      [LIST]: () => json({ items: [makeMyEvent()], next_cursor: null }),
      [SALES]: () => json({ items: [], next_cursor: null, total: 0 }),
      [CHECKINS]: () => json({ event_id: EVENT_ID, checked_in: 0, sold: 10 }),
    });
    renderAt("/organizer", signedIn(organizer));
    await screen.findByTestId("live-sold-count");
    await waitFor(() => expect(api.calls(SALES)).toHaveLength(1));
    const socket = fakeSockets().current;
    act(() => socket.accept());

    act(() => {
      for (let i = 0; i < 20; i++) socket.push("sale", sale({ booking_id: `0d0d0d0d-0000-4000-8000-0000000001${String(i).padStart(2, "0")}` }));
    });
    // One at once, one at the end of the second for everything in between.
    await waitFor(() => expect(api.calls(LIST)).toHaveLength(2));
    await waitFor(() => expect(api.calls(LIST)).toHaveLength(3), { timeout: 2_500 });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(api.calls(LIST)).toHaveLength(3);
    expect(api.calls(SALES)).toHaveLength(3);
    expect(within(screen.getByTestId("live-activity")).getAllByRole("listitem")).toHaveLength(5);
  });
});
