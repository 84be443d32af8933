import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { json, makeUser, mockApi, problem, renderAt, signedIn } from "../auth/testing";
import { makeRefund, makeTicket } from "../bookings/fixtures";
import { fakeSockets } from "../../realtime/testing";
import { EVENT_ID, makeBooking, makeEventRead, makeTicketType } from "./fixtures";

vi.setConfig({ testTimeout: 30_000 });

const organizer = makeUser({ id: "0b6f7c1e-0000-4000-8000-0000000000bb", full_name: "Olga Organizer", role: "organizer" });
const BOOKINGS = `/api/bookings/event/${EVENT_ID}/bookings`;

const ada = makeBooking({ customer_name: "Ada Lovelace", customer_email: "ada@example.com", created_at: "2030-02-01T10:00:00Z", confirmed_at: "2030-02-01T10:01:00Z" });
const bob = makeBooking({
  customer_name: "Bob Builder",
  customer_email: "bob@example.com",
  total_minor: 2500,
  subtotal_minor: 2500,
  refunded_minor: 500,
  created_at: "2030-02-03T10:00:00Z",
  confirmed_at: "2030-02-03T10:01:00Z",
  items: [{ ticket_type_id: "x", ticket_type_name: "VIP", quantity: 1, unit_price_minor: 2500, line_total_minor: 2500, attendees: [] }],
});
const cat = makeBooking({ customer_name: "Cat Cancelled", customer_email: "cat@example.com", status: "cancelled", refunded_minor: 5000 });

function setup(extra: Parameters<typeof mockApi>[0] = {}) {
  const event = makeEventRead({
    ticket_types: [makeTicketType({ sold: 3, held: 0, capacity: 100 }), makeTicketType({ id: "x", name: "VIP", sold: 1, capacity: 10, sort_order: 1 })],
  });
  return mockApi({
    [`GET /api/events/${EVENT_ID}`]: () => json(event, 200, { ETag: '"3"' }),
    [`GET ${BOOKINGS}`]: (request) => {
      const status = new URL(request.url).searchParams.get("status");
      if (status === "confirmed") return json({ items: [bob, ada], next_cursor: null, total: 2 });
      return json({ items: [bob, ada, cat], next_cursor: null, total: 3 });
    },
    [`GET ${BOOKINGS}.csv`]: () => new Response("booking_id,created_at\n", { status: 200, headers: { "Content-Type": "text/csv" } }),
    ...extra,
  });
}

describe("event bookings page", () => {
  it("follows the organizer's room: a booking of this event refetches the list, others do not", async () => {
    const api = setup();
    renderAt(`/organizer/events/${EVENT_ID}/bookings`, signedIn(organizer));
    await screen.findByRole("table", { name: "Bookings of Lisbon Jazz Night" });
    const socket = fakeSockets().current;
    act(() => socket.accept());
    expect(socket.sent("join_organizer")).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId("live-indicator")).toHaveAttribute("data-state", "live"));
    const before = api.calls(`GET ${BOOKINGS}`).length;

    const sale = { booking_id: "0d0d0d0d-0000-4000-8000-00000000ffff", status: "confirmed" as const, change: "status" as const, quantity: 1, total_minor: 2500, currency: "EUR", at: "2030-02-01T10:05:00Z" };
    act(() => socket.push("sale", { ...sale, event_id: "0e0e0e0e-0000-4000-8000-000000000000" }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.calls(`GET ${BOOKINGS}`)).toHaveLength(before);
    act(() => socket.push("sale", { ...sale, event_id: EVENT_ID, at: "2030-02-01T10:06:00Z" }));
    await waitFor(() => expect(api.calls(`GET ${BOOKINGS}`).length).toBeGreaterThan(before));
  });

  it("lists bookings with totals, refunds and statuses, and shows sales figures", async () => {
    setup();
    renderAt(`/organizer/events/${EVENT_ID}/bookings`, signedIn(organizer));

    const table = await screen.findByRole("table", { name: "Bookings of Lisbon Jazz Night" });
    expect(screen.getByText("Showing 3 of 3 bookings")).toBeInTheDocument();
    const bobRow = within(table).getByRole("row", { name: /Bob Builder/ });
    expect(bobRow).toHaveTextContent("bob@example.com");
    expect(bobRow).toHaveTextContent("1 × VIP");
    expect(bobRow).toHaveTextContent("€25.00");
    expect(bobRow).toHaveTextContent("€5.00");
    expect(bobRow).toHaveTextContent("Confirmed");
    expect(within(table).getByRole("row", { name: /Cat Cancelled/ })).toHaveTextContent("Cancelled");
    // Only live bookings can be cancelled.
    expect(within(bobRow).getByRole("button", { name: /Refund and cancel the booking of Bob Builder/ })).toBeInTheDocument();
    expect(within(within(table).getByRole("row", { name: /Cat Cancelled/ })).queryByRole("button")).not.toBeInTheDocument();

    // Revenue: 50.00 + (25.00 - 5.00) from confirmed bookings.
    expect(await screen.findByText("€70.00")).toBeInTheDocument();
    expect(screen.getByText("4")).toBeInTheDocument(); // tickets sold across types
    expect(screen.getByText("Not available yet")).toBeInTheDocument(); // no check-in endpoint yet
    // Charts come with their data as tables.
    expect(screen.getByRole("table", { name: "Bookings per day" })).toBeInTheDocument();
    expect(screen.getByRole("table", { name: "Revenue per day" })).toBeInTheDocument();
    expect(screen.getByText("1 / 10")).toBeInTheDocument(); // VIP sold per type
  });

  it("downloads the CSV with the bearer token", async () => {
    const api = setup();
    // jsdom has no object URLs.
    const createObjectURL = vi.fn(() => "blob:bookings");
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    onTestFinished(() => {
      delete (URL as { createObjectURL?: unknown }).createObjectURL;
      delete (URL as { revokeObjectURL?: unknown }).revokeObjectURL;
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe("bookings-lisbon-jazz-night.csv");
      expect(this.href).toBe("blob:bookings");
    });
    renderAt(`/organizer/events/${EVENT_ID}/bookings`, signedIn(organizer));

    await userEvent.click(await screen.findByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("Downloaded bookings-lisbon-jazz-night.csv.")).toBeInTheDocument();
    const [csv] = api.calls(`GET ${BOOKINGS}.csv`);
    expect(csv!.headers.get("Authorization")).toBe("Bearer access-1");
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(click).toHaveBeenCalledTimes(1);
  });

  it("refunds a booking after confirmation, with the reason", async () => {
    const api = setup({ [`DELETE /api/bookings/${ada.id}`]: () => json({ ...ada, status: "cancelled", refunded_minor: 5000 }) });
    renderAt(`/organizer/events/${EVENT_ID}/bookings`, signedIn(organizer));

    await userEvent.click(await screen.findByRole("button", { name: /Refund and cancel the booking of Ada Lovelace/ }));
    const dialog = screen.getByRole("alertdialog", { name: /Refund and cancel the booking of Ada Lovelace/ });
    expect(dialog).toHaveTextContent("€50.00 is refunded");
    await userEvent.type(within(dialog).getByLabelText(/Reason/), "Duplicate order");
    await userEvent.click(within(dialog).getByRole("button", { name: "Refund and cancel" }));

    expect(await screen.findByText(/cancelled and €50.00 was refunded/)).toBeInTheDocument();
    const del = api.calls(`DELETE /api/bookings/${ada.id}`)[0]!;
    expect(new URL(del.url).searchParams.get("reason")).toBe("Duplicate order");
  });

  it("refunds chosen tickets of a booking, checked-in ones included, with the reason", async () => {
    const tickets = [
      makeTicket({ id: "d0000000-0000-4000-8000-0000000000a1", booking_id: ada.id, code: "BX-AAAA-00A1", attendee_name: "Ada" }),
      makeTicket({ id: "d0000000-0000-4000-8000-0000000000a2", booking_id: ada.id, code: "BX-AAAA-00A2", attendee_name: "Grace", status: "checked_in", checked_in_at: "2030-06-14T19:10:00Z" }),
    ];
    const refund = makeRefund({ booking_id: ada.id, amount_minor: 2500, reason: "Broken seat", ticket_ids: [tickets[1]!.id] });
    const api = setup({
      [`GET /api/bookings/${ada.id}/tickets`]: () => json(tickets),
      [`POST /api/bookings/${ada.id}/refunds`]: () => json({ booking: ada, refund, amount_minor: 2500, ticket_ids: refund.ticket_ids }, 201),
    });
    renderAt(`/organizer/events/${EVENT_ID}/bookings`, signedIn(organizer));
    const user = userEvent.setup();

    const table = await screen.findByRole("table", { name: "Bookings of Lisbon Jazz Night" });
    expect(within(within(table).getByRole("row", { name: /Cat Cancelled/ })).queryByRole("button", { name: /Refund some tickets/ })).not.toBeInTheDocument();
    const opener = within(table).getByRole("button", { name: "Refund some tickets of the booking of Ada Lovelace" });
    await user.click(opener);
    const dialog = await screen.findByRole("alertdialog", { name: "Refund tickets of Ada Lovelace" });
    const checkedIn = await within(dialog).findByRole("checkbox", { name: /General admission · Grace/ });
    expect(checkedIn).toBeEnabled(); // the organizer may refund a ticket used at the door
    await user.click(checkedIn);
    expect(dialog).toHaveTextContent("1 ticket chosen. Refund: €25.00 to the customer's original payment method.");
    await user.type(within(dialog).getByLabelText("Reason for the customer (optional)"), "Broken seat");
    await user.click(within(dialog).getByRole("button", { name: "Refund €25.00" }));

    expect(await screen.findByText("Refunded 1 ticket of Ada Lovelace: €25.00 is being paid back.")).toBeInTheDocument();
    expect(await (api.calls(`POST /api/bookings/${ada.id}/refunds`)[0]!.json())).toEqual({ ticket_ids: [tickets[1]!.id], reason: "Broken seat" });
    await waitFor(() => expect(opener).toHaveFocus());
    await waitFor(() => expect(api.calls(`GET ${BOOKINGS}`).length).toBeGreaterThan(1)); // the list is reloaded
  });

  it("says why a ticket refund was refused", async () => {
    setup({
      [`GET /api/bookings/${bob.id}/tickets`]: () => json([makeTicket({ booking_id: bob.id })]),
      [`POST /api/bookings/${bob.id}/refunds`]: () => problem(409, { code: "invalid_transition", detail: "A cancelled booking cannot be refunded." }),
    });
    renderAt(`/organizer/events/${EVENT_ID}/bookings`, signedIn(organizer));
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "Refund some tickets of the booking of Bob Builder" }));
    const dialog = await screen.findByRole("alertdialog");
    await user.click(await within(dialog).findByRole("checkbox"));
    await user.click(within(dialog).getByRole("button", { name: "Refund €25.00" }));
    expect(
      await screen.findByText("Couldn't refund tickets of Bob Builder. A cancelled booking cannot be refunded. Reload the page to see its current state."),
    ).toBeInTheDocument();
  });

  it("searches and filters through the URL", async () => {
    const api = setup();
    const { router } = renderAt(`/organizer/events/${EVENT_ID}/bookings`, signedIn(organizer));
    await screen.findByRole("table", { name: "Bookings of Lisbon Jazz Night" });
    await userEvent.type(screen.getByLabelText("Search bookings"), "ada");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    await userEvent.selectOptions(screen.getByLabelText("Status"), "confirmed");
    await waitFor(() => expect(router.state.location.search).toBe("?q=ada&status=confirmed"));
    await waitFor(() => {
      const last = new URL(api.calls(`GET ${BOOKINGS}`).at(-1)!.url);
      expect(last.searchParams.get("q")).toBe("ada");
      expect(last.searchParams.get("status")).toBe("confirmed");
    });
  });
});
