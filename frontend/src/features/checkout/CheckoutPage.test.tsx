import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bodyOf, json, makeUser, mockApi, problem, renderAt, signedIn } from "../auth/testing";
import { BOOKING_ID, makeBooking, makeConfirmed, makePaymentStart, PAYMENT_ID } from "../bookings/fixtures";

const BOOKING = `GET /api/bookings/${BOOKING_ID}`;
const START = `POST /api/bookings/${BOOKING_ID}/payment`;
const CARD = `POST /api/payments/${PAYMENT_ID}/mock-card`;
const CONFIRM = `POST /api/bookings/${BOOKING_ID}/confirm`;
const auth = () => signedIn(makeUser());

afterEach(() => {
  vi.useRealTimers();
});

describe("checkout", () => {
  it("counts the hold down and offers to try again when it runs out", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    mockApi({
      [BOOKING]: () => json(makeBooking({ hold_expires_at: new Date(Date.now() + 125_000).toISOString() })),
      [START]: () => json(makePaymentStart(), 201),
    });
    renderAt(`/checkout/${BOOKING_ID}`, auth());

    const timer = await screen.findByRole("timer");
    expect(timer).toHaveTextContent("02:05");
    expect(timer.className).not.toMatch(/amber/);

    act(() => vi.advanceTimersByTime(10_000));
    expect(timer).toHaveTextContent("01:55");
    expect(timer.className).toMatch(/amber/);
    expect(screen.getByText("2 minutes left to complete your booking.")).toBeInTheDocument();

    act(() => vi.advanceTimersByTime(116_000));
    expect(await screen.findByText("Your hold expired")).toBeInTheDocument();
    expect(screen.queryByRole("timer")).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Try again" })).toHaveAttribute("href", `/events/${makeBooking().event_id}`);
    expect(screen.queryByRole("button", { name: /^Pay/ })).not.toBeInTheDocument();
  });

  it("pays in demo mode and lands on the confirmed booking", async () => {
    const api = mockApi({
      [BOOKING]: [() => json(makeBooking()), () => json(makeConfirmed())],
      [START]: () => json(makePaymentStart(), 201),
      [CARD]: () => json({ ...makePaymentStart().payment, status: "processing" }),
      [CONFIRM]: () => json(makeConfirmed()),
      [`GET /api/bookings/${BOOKING_ID}/tickets`]: () => json([]),
      [`GET /api/bookings/${BOOKING_ID}/refunds`]: () => json([]),
    });
    const { router } = renderAt(`/checkout/${BOOKING_ID}`, auth());

    expect(await screen.findByRole("heading", { level: 1, name: "Checkout" })).toBeInTheDocument();
    expect(await screen.findByText("Demo mode — no real money")).toBeInTheDocument();
    const card = screen.getByLabelText("Card number");
    expect(card).toHaveValue("4242 4242 4242 4242");
    expect(screen.getByText(/4000 0000 0000 0002/)).toBeInTheDocument();
    expect(screen.getByText("Order summary").closest("aside")).toHaveTextContent("2 × General admission");

    await userEvent.click(screen.getByRole("button", { name: "Pay €50.00" }));

    await waitFor(() => expect(router.state.location.pathname).toBe(`/bookings/${BOOKING_ID}`));
    expect(router.state.location.search).toBe("?confirmed=1");
    const banner = await screen.findByText("You're going! Your booking is confirmed.");
    // Focus moves to the confirmation so it is read out first.
    await waitFor(() => expect(banner.closest("[role=status]")).toHaveFocus());
    expect(await bodyOf(api.calls(CARD)[0]!)).toEqual({ card_number: "4242 4242 4242 4242" });
    expect(api.calls(CONFIRM)).toHaveLength(1);
    expect(api.calls(START)).toHaveLength(1);
  });

  it("shows the processing state while the server waits for the demo payment", async () => {
    let release: (r: Response) => void = () => {};
    mockApi({
      [BOOKING]: () => json(makeBooking()),
      [START]: () => json(makePaymentStart(), 201),
      [CARD]: () => json({ ...makePaymentStart().payment, status: "processing" }),
      [CONFIRM]: () => new Promise<Response>((resolve) => (release = resolve)),
    });
    renderAt(`/checkout/${BOOKING_ID}`, auth());
    await userEvent.click(await screen.findByRole("button", { name: "Pay €50.00" }));

    const status = await screen.findByText("Processing payment…", { selector: "p" });
    expect(status.closest("[role=status]")).toHaveAttribute("aria-live", "polite");
    expect(screen.getByRole("button", { name: /Processing payment/ })).toBeDisabled();
    await act(async () => release(json(makeConfirmed())));
  });

  it("says the card was declined and lets the buyer try another", async () => {
    const api = mockApi({
      [BOOKING]: () => json(makeBooking()),
      [START]: () => json(makePaymentStart(), 201),
      [CARD]: [
        () => json({ ...makePaymentStart().payment, status: "failed", failure_code: "card_declined" }),
        () => json({ ...makePaymentStart().payment, status: "processing" }),
      ],
      [CONFIRM]: [
        () => problem(402, { code: "payment_failed", detail: "The payment failed (card_declined)." }),
        () => json(makeConfirmed()),
      ],
      [`GET /api/bookings/${BOOKING_ID}/tickets`]: () => json([]),
      [`GET /api/bookings/${BOOKING_ID}/refunds`]: () => json([]),
    });
    const { router } = renderAt(`/checkout/${BOOKING_ID}`, auth());
    const user = userEvent.setup();
    await screen.findByText("Demo mode — no real money");

    await user.click(screen.getByRole("button", { name: "Use the declined card" }));
    expect(screen.getByLabelText("Card number")).toHaveValue("4000 0000 0000 0002");
    await user.click(screen.getByRole("button", { name: "Pay €50.00" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Your card was declined");
    await waitFor(() => expect(alert).toHaveFocus());
    expect(api.calls(CONFIRM)).toHaveLength(0);
    expect(screen.getByRole("button", { name: "Pay €50.00" })).toBeEnabled();

    // A decline reported by the confirmation (e.g. the provider declined later) reads the same.
    await user.click(screen.getByRole("button", { name: "Use the success card" }));
    await user.click(screen.getByRole("button", { name: "Pay €50.00" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Your card was declined");
    expect(api.calls(CONFIRM)).toHaveLength(1);

    await user.click(screen.getByRole("button", { name: "Pay €50.00" }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/bookings/${BOOKING_ID}`));
  });

  it("explains a late payment that is being refunded", async () => {
    mockApi({
      [BOOKING]: () => json(makeBooking()),
      [START]: () => json(makePaymentStart(), 201),
      [CARD]: () => json({ ...makePaymentStart().payment, status: "processing" }),
      [CONFIRM]: () =>
        problem(409, {
          code: "seats_gone_refunding",
          detail: "Your hold expired and the tickets sold out meanwhile; your payment is being refunded.",
        }),
    });
    renderAt(`/checkout/${BOOKING_ID}`, auth());
    await userEvent.click(await screen.findByRole("button", { name: "Pay €50.00" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Your hold expired");
    expect(alert).toHaveTextContent("We're refunding your payment in full");
    expect(within(alert).getByRole("link", { name: "See your booking" })).toHaveAttribute("href", `/bookings/${BOOKING_ID}`);
  });

  it("confirms free bookings without a payment", async () => {
    const free = makeBooking({ subtotal_minor: 0, total_minor: 0, items: [{ ...makeBooking().items[0]!, unit_price_minor: 0, line_total_minor: 0 }] });
    const api = mockApi({
      [BOOKING]: () => json(free),
      [CONFIRM]: () => json({ ...free, status: "confirmed", confirmed_at: new Date().toISOString() }),
      [`GET /api/bookings/${BOOKING_ID}/tickets`]: () => json([]),
      [`GET /api/bookings/${BOOKING_ID}/refunds`]: () => json([]),
    });
    const { router } = renderAt(`/checkout/${BOOKING_ID}`, auth());

    await userEvent.click(await screen.findByRole("button", { name: "Confirm booking" }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/bookings/${BOOKING_ID}`));
    expect(api.calls(START)).toHaveLength(0);
  });

  it("sends a confirmed booking on to its page", async () => {
    mockApi({
      [BOOKING]: () => json(makeConfirmed()),
      [`GET /api/bookings/${BOOKING_ID}/tickets`]: () => json([]),
      [`GET /api/bookings/${BOOKING_ID}/refunds`]: () => json([]),
    });
    const { router } = renderAt(`/checkout/${BOOKING_ID}`, auth());
    await waitFor(() => expect(router.state.location.pathname).toBe(`/bookings/${BOOKING_ID}`));
  });
});
