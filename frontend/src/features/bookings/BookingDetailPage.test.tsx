import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { json, makeUser, mockApi, problem, renderAt, signedIn } from "../auth/testing";
import { BOOKING_ID, EVENT_ID, makeBooking, makeConfirmed, makeEventRead, makeRefund, makeTicket } from "./fixtures";

const BOOKING = `GET /api/bookings/${BOOKING_ID}`;
const CANCEL = `DELETE /api/bookings/${BOOKING_ID}`;
const REFUNDS = `GET /api/bookings/${BOOKING_ID}/refunds`;
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
