import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { json, makeUser, mockApi, problem, renderAt, signedIn } from "../auth/testing";
import { BOOKING_ID, EVENT_ID, makeBooking, makeConfirmed, makeEventRead, makeRefund, makeTicket } from "./fixtures";
import type { TicketRead } from "./ticketsApi";

const BOOKING = `GET /api/bookings/${BOOKING_ID}`;
const CANCEL = `DELETE /api/bookings/${BOOKING_ID}`;
const REFUNDS = `GET /api/bookings/${BOOKING_ID}/refunds`;
const REFUND_TICKETS = `POST /api/bookings/${BOOKING_ID}/refunds`;
const TICKETS = `GET /api/bookings/${BOOKING_ID}/tickets`;
const EVENT = `GET /api/events/${EVENT_ID}`;
const QR = "GET /api/tickets/d0000000-0000-4000-8000-000000000001/qr.svg";
const PDF = "GET /api/tickets/d0000000-0000-4000-8000-000000000001/pdf";

const svg = () => new Response("<svg xmlns='http://www.w3.org/2000/svg'/>", { headers: { "Content-Type": "image/svg+xml" } });

beforeEach(() => {
  URL.createObjectURL = vi.fn(() => "blob:http://localhost/ticket");
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => vi.restoreAllMocks());

describe("booking detail", () => {
  it("shows the confirmation, tickets with their QR codes, the order and the history", async () => {
    const api = mockApi({
      [BOOKING]: () => json(makeConfirmed({ coupon_code: "JAZZ20", discount_minor: 1000, total_minor: 4000 })),
      [EVENT]: () => json(makeEventRead()),
      [REFUNDS]: () => json([]),
      [TICKETS]: () =>
        json([
          makeTicket(),
          makeTicket({
            id: "d0000000-0000-4000-8000-000000000002",
            code: "BX-ZZZZ-0002",
            status: "checked_in",
            checked_in_at: "2030-06-14T19:30:00Z",
            qr_url: "/api/tickets/d0000000-0000-4000-8000-000000000002/qr.svg",
          }),
        ]),
      [QR]: svg,
      "GET /api/tickets/d0000000-0000-4000-8000-000000000002/qr.svg": svg,
    });
    renderAt(`/bookings/${BOOKING_ID}?confirmed=1`, signedIn(makeUser()));

    expect(await screen.findByText("You're going! Your booking is confirmed.")).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1, name: "Lisbon Jazz Night" })).toBeInTheDocument();
    expect(screen.getAllByText("Confirmed")[0]).toBeInTheDocument();

    const qr = await screen.findByRole("img", { name: "QR code for ticket BX-7K2M-9QPL" });
    expect(qr).toHaveAttribute("src", "blob:http://localhost/ticket");
    expect(api.calls(QR)[0]!.headers.get("Authorization")).toBe("Bearer access-1");
    expect(screen.getByText("BX-ZZZZ-0002")).toBeInTheDocument();
    expect(screen.getByText("Checked in", { selector: "span" })).toBeInTheDocument();

    const order = screen.getByRole("region", { name: "Order" });
    expect(within(order).getByText("Discount (JAZZ20)").nextElementSibling).toHaveTextContent("−€10.00");
    expect(within(order).getByText("Total").nextElementSibling).toHaveTextContent("€40.00");

    const history = screen.getByRole("region", { name: "History" });
    expect(within(history).getByText("Booked: tickets held")).toBeInTheDocument();
    expect(within(history).getByText("Payment received: booking confirmed")).toBeInTheDocument();

    expect(await screen.findByText("Casa Azul")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Add to calendar" })).toHaveAttribute("href", "/api/events/lisbon-jazz-night/calendar.ics");
  });

  it("downloads a ticket's PDF with the bearer token", async () => {
    const api = mockApi({
      [BOOKING]: () => json(makeConfirmed()),
      [EVENT]: () => json(makeEventRead()),
      [REFUNDS]: () => json([]),
      [TICKETS]: () => json([makeTicket()]),
      [QR]: svg,
      [PDF]: () =>
        new Response(new Blob(["%PDF-1.7"]), {
          headers: { "Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="ticket-BX-7K2M-9QPL.pdf"' },
        }),
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    renderAt(`/bookings/${BOOKING_ID}`, signedIn(makeUser()));

    await userEvent.click(await screen.findByRole("button", { name: "Download PDF of ticket BX-7K2M-9QPL" }));

    await waitFor(() => expect(click).toHaveBeenCalled());
    const link = click.mock.contexts[0] as HTMLAnchorElement;
    expect(link.download).toBe("ticket-BX-7K2M-9QPL.pdf");
    expect(link.href).toBe("blob:http://localhost/ticket");
    expect(api.calls(PDF)[0]!.headers.get("Authorization")).toBe("Bearer access-1");
  });

  it("says tickets are on their way while the tickets service has none yet", async () => {
    mockApi({
      [BOOKING]: () => json(makeConfirmed()),
      [EVENT]: () => json(makeEventRead()),
      [REFUNDS]: () => json([]),
      [TICKETS]: () => problem(404, { code: "not_found" }),
    });
    renderAt(`/bookings/${BOOKING_ID}`, signedIn(makeUser()));
    expect(await screen.findByText(/Your tickets are being issued/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Check again" })).toBeInTheDocument();
  });

  it("cancels after confirmation, explains the refund and lists it", async () => {
    const cancelled = makeConfirmed({
      status: "cancelled",
      cancelled_at: "2030-01-03T10:00:00Z",
      cancel_reason: "cancelled_by_customer",
    });
    const api = mockApi({
      [BOOKING]: () => json(makeConfirmed()),
      [EVENT]: () => json(makeEventRead()),
      [REFUNDS]: [() => json([]), () => json([makeRefund()])],
      [TICKETS]: [() => json([makeTicket()]), () => json([makeTicket({ status: "void" })])],
      [QR]: svg,
      [CANCEL]: () => json(cancelled),
    });
    renderAt(`/bookings/${BOOKING_ID}`, signedIn(makeUser()));
    const user = userEvent.setup();

    await screen.findByText("Casa Azul");
    await user.click(screen.getByRole("button", { name: "Cancel booking" }));
    const dialog = screen.getByRole("alertdialog", { name: "Cancel this booking?" });
    expect(dialog).toHaveTextContent("you'll get a full refund of €50.00");
    expect(dialog).toHaveTextContent("Full refund if you cancel at least 2 days before the event starts");
    expect(within(dialog).getByRole("button", { name: "Keep booking" })).toHaveFocus();
    expect(api.calls(CANCEL)).toHaveLength(0);

    await user.click(within(dialog).getByRole("button", { name: "Cancel and refund" }));

    const done = await screen.findByText("Booking cancelled");
    expect(done.closest("[role=status]")).toHaveTextContent("A refund of €50.00 is on its way");
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(screen.getAllByText("Cancelled")[0]).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Cancel booking" })).not.toBeInTheDocument();

    const refunds = await screen.findByRole("region", { name: "Refunds" });
    expect(within(refunds).getByText("€50.00")).toBeInTheDocument();
    expect(within(refunds).getByText("In progress")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "History" })).getByText("Cancelled by you")).toBeInTheDocument();
    expect(await screen.findByText("Ticket void")).toBeInTheDocument();
  });

  it("shows the server's reason when a refund is no longer allowed", async () => {
    mockApi({
      [BOOKING]: () => json(makeConfirmed()),
      [EVENT]: () => json(makeEventRead({ refund_until_hours: null })),
      [REFUNDS]: () => json([]),
      [TICKETS]: () => json([]),
      [CANCEL]: () =>
        problem(409, {
          code: "refund_not_allowed",
          detail: "Self-service refunds are not offered for this event. Contact the organizer.",
        }),
    });
    renderAt(`/bookings/${BOOKING_ID}`, signedIn(makeUser()));
    const user = userEvent.setup();

    await screen.findByText("Casa Azul");
    await user.click(screen.getByRole("button", { name: "Cancel booking" }));
    const dialog = screen.getByRole("alertdialog");
    expect(dialog).toHaveTextContent("This event doesn't offer refunds online");
    await user.click(within(dialog).getByRole("button", { name: "Cancel and refund" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Can't cancel online");
    expect(alert).toHaveTextContent("Self-service refunds are not offered for this event. Contact the organizer.");
    await waitFor(() => expect(alert).toHaveFocus());
  });

  it("offers to finish paying a pending booking, and cancelling it releases the seats", async () => {
    mockApi({
      [BOOKING]: () => json(makeBooking()),
      [EVENT]: () => json(makeEventRead()),
      [CANCEL]: () => json(makeBooking({ status: "cancelled", cancelled_at: new Date().toISOString(), cancel_reason: "cancelled_by_customer" })),
    });
    renderAt(`/bookings/${BOOKING_ID}`, signedIn(makeUser()));
    const user = userEvent.setup();

    expect(await screen.findByRole("link", { name: "Complete payment" })).toHaveAttribute("href", `/checkout/${BOOKING_ID}`);
    expect(screen.getByText("Your tickets appear here as soon as your payment is confirmed.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel booking" }));
    expect(screen.getByRole("alertdialog")).toHaveTextContent("You haven't been charged.");
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Cancel booking" }));
    expect(await screen.findByText("Your booking is cancelled and the tickets were released.")).toBeInTheDocument();
  });
});

describe("refunding some tickets", () => {
  const ticket = (n: number, overrides: Partial<TicketRead> = {}) =>
    makeTicket({
      id: `d0000000-0000-4000-8000-00000000000${n}`,
      code: `BX-AAAA-000${n}`,
      attendee_name: ["", "Ana", "Ben", "Cy"][n] ?? "",
      qr_url: `/api/tickets/d0000000-0000-4000-8000-00000000000${n}/qr.svg`,
      ...overrides,
    });
  // Three seats of 33.33 with 10.00 off: 30.00, 30.00 and 29.99 paid.
  const booking = makeConfirmed({
    subtotal_minor: 9999,
    discount_minor: 1000,
    total_minor: 8999,
    coupon_code: "TENOFF",
    items: [{ ticket_type_id: "70000000-0000-4000-8000-000000000001", ticket_type_name: "General admission", quantity: 3, unit_price_minor: 3333, line_total_minor: 9999, attendees: [] }],
  });
  const tickets = [ticket(1, { paid_minor: 3000 }), ticket(2, { paid_minor: 3000 }), ticket(3, { paid_minor: 2999 })];
  const qr = Object.fromEntries([1, 2, 3].map((n) => [`GET /api/tickets/d0000000-0000-4000-8000-00000000000${n}/qr.svg`, svg]));

  it("chooses tickets, shows what comes back, refunds them and lists the refund", async () => {
    const refund = makeRefund({ amount_minor: 5999, reason: "tickets_refunded_by_customer", ticket_ids: [tickets[1]!.id, tickets[2]!.id] });
    const api = mockApi({
      [BOOKING]: () => json(booking),
      [EVENT]: () => json(makeEventRead()),
      [REFUNDS]: [() => json([]), () => json([refund])],
      [TICKETS]: [() => json(tickets), () => json([tickets[0], { ...tickets[1], status: "void" }, { ...tickets[2], status: "void" }])],
      ...qr,
      [REFUND_TICKETS]: () =>
        json({ booking: { ...booking, refunded_minor: 0 }, refund, amount_minor: 5999, ticket_ids: refund.ticket_ids }, 201),
    });
    renderAt(`/bookings/${BOOKING_ID}`, signedIn(makeUser()));
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "Refund some tickets" }));
    const dialog = screen.getByRole("alertdialog", { name: "Refund some tickets" });
    expect(within(dialog).getByRole("button", { name: "Keep tickets" })).toHaveFocus();
    expect(within(dialog).getByRole("button", { name: "Refund tickets" })).toBeDisabled();
    expect(dialog).toHaveTextContent("No tickets chosen yet.");
    expect(dialog).toHaveTextContent("Full refund if you cancel at least 2 days before the event starts");

    await user.click(within(dialog).getByRole("checkbox", { name: /General admission · Ben/ }));
    await user.click(within(dialog).getByRole("checkbox", { name: /General admission · Cy/ }));
    expect(dialog).toHaveTextContent("2 tickets chosen. Refund: €59.99 to your original payment method.");
    expect(dialog).not.toHaveTextContent("the booking will be cancelled");
    await user.click(within(dialog).getByRole("button", { name: "Refund €59.99" }));

    const done = await screen.findByText("Tickets refunded");
    expect(done.closest("[role=status]")).toHaveTextContent("2 tickets refunded and released. A refund of €59.99 is on its way");
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    const [sent] = api.calls(REFUND_TICKETS);
    expect(await sent!.json()).toEqual({ ticket_ids: [tickets[1]!.id, tickets[2]!.id] });

    const refunds = await screen.findByRole("region", { name: "Refunds" });
    expect(within(refunds).getByText("€59.99")).toBeInTheDocument();
    expect(refunds).toHaveTextContent("Tickets refunded at your request · 2 tickets");
    expect(within(screen.getByRole("region", { name: "History" })).getByText("Refund of €59.99 for 2 tickets started")).toBeInTheDocument();
    expect(await screen.findAllByText("Ticket void")).toHaveLength(2);
  });

  it("says the booking is cancelled when every remaining ticket is chosen", async () => {
    const cancelled = { ...booking, status: "cancelled" as const, cancelled_at: "2030-01-03T10:00:00Z", cancel_reason: "tickets_refunded_by_customer" };
    mockApi({
      [BOOKING]: () => json(booking),
      [EVENT]: () => json(makeEventRead()),
      [REFUNDS]: () => json([]),
      [TICKETS]: () => json([tickets[0], tickets[1], { ...tickets[2], status: "void" }]),
      ...qr,
      [REFUND_TICKETS]: () =>
        json({ booking: cancelled, refund: makeRefund({ amount_minor: 6000 }), amount_minor: 6000, ticket_ids: [tickets[0]!.id, tickets[1]!.id] }, 201),
    });
    renderAt(`/bookings/${BOOKING_ID}`, signedIn(makeUser()));
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "Refund some tickets" }));
    const dialog = screen.getByRole("alertdialog");
    expect(within(dialog).getByRole("checkbox", { name: /Cy/ })).toBeDisabled();
    await user.click(within(dialog).getByRole("checkbox", { name: /Ana/ }));
    await user.click(within(dialog).getByRole("checkbox", { name: /Ben/ }));
    expect(dialog).toHaveTextContent("That's every remaining ticket, so the booking will be cancelled.");
    await user.click(within(dialog).getByRole("button", { name: "Refund €60.00" }));

    const done = await screen.findByText("Booking cancelled");
    expect(done.closest("[role=status]")).toHaveTextContent("Your last 2 tickets are refunded, so your booking is cancelled.");
    expect(screen.getAllByText("Cancelled")[0]).toBeInTheDocument();
  });

  it("explains a refusal from the server in words and refreshes the tickets", async () => {
    const api = mockApi({
      [BOOKING]: () => json(booking),
      [EVENT]: () => json(makeEventRead()),
      [REFUNDS]: () => json([]),
      [TICKETS]: () => json(tickets),
      ...qr,
      [REFUND_TICKETS]: () => problem(409, { code: "ticket_already_refunded", detail: "Some tickets were already refunded or cancelled." }),
    });
    renderAt(`/bookings/${BOOKING_ID}`, signedIn(makeUser()));
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "Refund some tickets" }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("checkbox", { name: /Ana/ }));
    await user.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Refund €30.00" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Already refunded");
    expect(alert).toHaveTextContent("Some of these tickets were already refunded.");
    await waitFor(() => expect(alert).toHaveFocus());
    await waitFor(() => expect(api.calls(TICKETS).length).toBeGreaterThan(1));
  });

  it("is not offered once the refund deadline has passed, nor for a single ticket", async () => {
    mockApi({
      [BOOKING]: () => json(booking),
      [EVENT]: () => json(makeEventRead({ starts_at: new Date(Date.now() + 3_600_000).toISOString(), refund_until_hours: 48 })),
      [REFUNDS]: () => json([]),
      [TICKETS]: () => json(tickets),
      ...qr,
    });
    const { unmount } = renderAt(`/bookings/${BOOKING_ID}`, signedIn(makeUser()));
    expect(await screen.findByText("BX-AAAA-0003")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Refund some tickets" })).not.toBeInTheDocument();
    unmount();

    mockApi({
      [BOOKING]: () => json(makeConfirmed()),
      [EVENT]: () => json(makeEventRead()),
      [REFUNDS]: () => json([]),
      [TICKETS]: () => json([makeTicket()]),
      [QR]: svg,
    });
    renderAt(`/bookings/${BOOKING_ID}`, signedIn(makeUser()));
    expect(await screen.findByText("BX-7K2M-9QPL")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Refund some tickets" })).not.toBeInTheDocument();
  });
});
