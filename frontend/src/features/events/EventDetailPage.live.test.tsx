import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import type { Availability, TicketTypeAvailability } from "../../realtime/messages";
import { fakeSockets } from "../../realtime/testing";
import { json, mockApi, renderAt } from "../auth/testing";
import { EVENT_ID, makeEventRead, makeTicketType } from "../bookings/fixtures";

const GA = makeTicketType();
const VIP = makeTicketType({
  id: "70000000-0000-4000-8000-000000000002",
  name: "VIP table",
  price_minor: 6000,
  base_price_minor: 6000,
  remaining: 30,
  sort_order: 1,
});
const event = makeEventRead({ ticket_types: [GA, VIP] });
const EVENT_ROUTE = "GET /api/events/lisbon-jazz-night";

function live(overrides: Partial<TicketTypeAvailability> & { id: string }): TicketTypeAvailability {
  return { remaining: 150, price_minor: 2500, sold_out: false, sales_status: "on_sale", ...overrides };
}

function availability(ticketTypes: TicketTypeAvailability[], at: string): Availability {
  const remaining = ticketTypes.reduce((sum, t) => sum + t.remaining, 0);
  return { event_id: EVENT_ID, ticket_types: ticketTypes, remaining, sold_out: remaining === 0, currency: "EUR", at, changed_at: at };
}

const tier = (name: string) => screen.getByRole("listitem", { name });

beforeEach(() => sessionStorage.clear());

describe("event page, live", () => {
  it("joins the event's room and updates remaining seats and prices in place", async () => {
    mockApi({ [EVENT_ROUTE]: () => json(event) });
    renderAt("/events/lisbon-jazz-night");
    await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" });
    const socket = fakeSockets().current;
    expect(screen.getByTestId(`remaining-${GA.id}`)).toHaveTextContent("150 left");

    act(() => socket.accept());
    expect(socket.sent("join_event")).toEqual([{ event_id: EVENT_ID }]);
    const tickets = screen.getByRole("region", { name: /Tickets/ });
    expect(within(tickets).getByRole("status")).toHaveTextContent("Live");

    act(() =>
      socket.push(
        "availability",
        availability([live({ id: GA.id, remaining: 12, price_minor: 3000 }), live({ id: VIP.id, remaining: 30, price_minor: 6000 })], "2030-01-01T10:00:01Z"),
      ),
    );
    // (RTK batches cache notifications to the next frame: wait for the render.)
    await waitFor(() => expect(screen.getByTestId(`remaining-${GA.id}`)).toHaveTextContent("12 left"));
    expect(screen.getByTestId(`remaining-${GA.id}`)).toHaveAttribute("data-remaining", "12");
    expect(within(tier("General admission")).getByText("€30.00")).toBeInTheDocument();

    // An older message (overtaken on the way) changes nothing.
    act(() => socket.push("availability", availability([live({ id: GA.id, remaining: 100 })], "2030-01-01T10:00:00Z")));
    act(() => socket.push("availability", availability([live({ id: GA.id, remaining: 4, price_minor: 3000 })], "2030-01-01T10:00:02Z")));
    expect(await within(tier("General admission")).findByText("Few left: 4 remaining")).toBeInTheDocument();
    act(() => socket.push("availability", availability([live({ id: GA.id, remaining: 100 })], "2030-01-01T10:00:01Z")));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(within(tier("General admission")).getByText("Few left: 4 remaining")).toBeInTheDocument();
  });

  it("keeps the selection, and shrinks it when what was chosen sells out meanwhile", async () => {
    mockApi({ [EVENT_ROUTE]: () => json(event) });
    renderAt("/events/lisbon-jazz-night");
    await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" });
    const socket = fakeSockets().current;
    act(() => socket.accept());
    const user = userEvent.setup();
    const addGa = within(tier("General admission")).getByRole("button", { name: "Add one General admission" });
    const addVip = within(tier("VIP table")).getByRole("button", { name: "Add one VIP table" });
    await user.click(addGa);
    await user.click(addGa);
    await user.click(addGa);
    await user.click(addVip);
    expect(screen.getByRole("button", { name: "Book 4 tickets" })).toBeEnabled();

    // Other people buy: the selection still fits, nothing changes.
    act(() =>
      socket.push("availability", availability([live({ id: GA.id, remaining: 20 }), live({ id: VIP.id, remaining: 5, price_minor: 6000 })], "2030-01-01T10:00:01Z")),
    );
    await waitFor(() => expect(screen.getByTestId(`remaining-${VIP.id}`)).toHaveTextContent("Few left: 5 remaining"));
    expect(within(tier("General admission")).getByLabelText("Number of General admission tickets")).toHaveValue(3);
    expect(screen.queryByText(/We've updated your selection/)).not.toBeInTheDocument();

    act(() =>
      socket.push(
        "availability",
        availability(
          [live({ id: GA.id, remaining: 2 }), live({ id: VIP.id, remaining: 0, price_minor: 6000, sold_out: true, sales_status: "sold_out" })],
          "2030-01-01T10:00:02Z",
        ),
      ),
    );
    expect(await within(tier("VIP table")).findByText("Sold out")).toBeInTheDocument();
    expect(within(tier("VIP table")).getByRole("button", { name: "Add one VIP table" })).toBeDisabled();
    await waitFor(() => expect(within(tier("General admission")).getByLabelText("Number of General admission tickets")).toHaveValue(2));
    expect(screen.getByRole("button", { name: "Book 2 tickets" })).toBeEnabled();
    expect(screen.getByText("Only 2 General admission tickets are left; VIP table just sold out. We've updated your selection.")).toBeInTheDocument();
    expect(screen.getByText("Total").nextElementSibling).toHaveTextContent("€50.00");
  });

  it("refetches the event when it changes, and after a reconnection; live counters win over a cached copy", async () => {
    // The server may answer GET /api/events/{id} from a short cache: the refetch below still says 150 left.
    const renamed = makeEventRead({ ticket_types: [GA, VIP], title: "Lisbon Jazz Night (moved indoors)", version: 2 });
    const api = mockApi({
      [EVENT_ROUTE]: [() => json(event), () => json(renamed)],
    });
    renderAt("/events/lisbon-jazz-night");
    await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" });
    const socket = fakeSockets().current;
    act(() => socket.accept());
    act(() => socket.push("availability", availability([live({ id: GA.id, remaining: 12 }), live({ id: VIP.id, remaining: 30 })], "2030-01-01T10:00:01Z")));
    await waitFor(() => expect(screen.getByTestId(`remaining-${GA.id}`)).toHaveTextContent("12 left"));

    act(() => socket.push("event_changed", { event_id: EVENT_ID, version: 2, status: "published", at: "2030-01-01T10:00:03Z" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night (moved indoors)" })).toBeInTheDocument();
    expect(api.calls(EVENT_ROUTE)).toHaveLength(2);
    expect(screen.getByTestId(`remaining-${GA.id}`)).toHaveTextContent("12 left");
    // A new HTTP copy: the page asks for the current counters again (joining is idempotent).
    await waitFor(() => expect(socket.sent("join_event")).toHaveLength(2));
    act(() => socket.push("availability", availability([live({ id: GA.id, remaining: 11 }), live({ id: VIP.id, remaining: 30 })], "2030-01-01T10:00:04Z")));
    await waitFor(() => expect(screen.getByTestId(`remaining-${GA.id}`)).toHaveTextContent("11 left"));

    act(() => socket.drop());
    expect(within(screen.getByRole("region", { name: /Tickets/ })).getByRole("status")).toHaveTextContent("Reconnecting…");
    act(() => socket.accept());
    expect(socket.sent("join_event")).toHaveLength(3);
    await waitFor(() => expect(api.calls(EVENT_ROUTE)).toHaveLength(3));
  });

  it("does not follow an event that is not on sale", async () => {
    mockApi({ [EVENT_ROUTE]: () => json(makeEventRead({ status: "cancelled", ticket_types: [makeTicketType({ sales_status: "ended" })] })) });
    renderAt("/events/lisbon-jazz-night");
    await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" });
    expect(fakeSockets().all).toHaveLength(0);
    expect(screen.queryByTestId("live-indicator")).not.toBeInTheDocument();
  });
});
