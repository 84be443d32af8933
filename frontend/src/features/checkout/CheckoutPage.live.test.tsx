import { act, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { BookingStatusChanged } from "../../realtime/messages";
import { fakeSockets } from "../../realtime/testing";
import { json, makeUser, mockApi, renderAt, signedIn } from "../auth/testing";
import { BOOKING_ID, EVENT_ID, makeBooking, makeConfirmed, makePaymentStart } from "../bookings/fixtures";

const BOOKING = `GET /api/bookings/${BOOKING_ID}`;
const START = `POST /api/bookings/${BOOKING_ID}/payment`;

function status(value: BookingStatusChanged["status"], bookingId = BOOKING_ID): BookingStatusChanged {
  return { booking_id: bookingId, event_id: EVENT_ID, status: value, at: new Date().toISOString() };
}

describe("checkout, live", () => {
  it("goes to the confirmed booking as soon as the server says it is paid", async () => {
    const api = mockApi({
      [BOOKING]: [() => json(makeBooking()), () => json(makeConfirmed())],
      [START]: () => json(makePaymentStart(), 201),
      [`GET /api/bookings/${BOOKING_ID}/tickets`]: () => json([]),
      [`GET /api/bookings/${BOOKING_ID}/refunds`]: () => json([]),
    });
    const { router } = renderAt(`/checkout/${BOOKING_ID}`, signedIn(makeUser()));
    expect(await screen.findByRole("heading", { level: 1, name: "Checkout" })).toBeInTheDocument();
    const socket = fakeSockets().current;
    act(() => socket.accept());
    expect(socket.auths).toEqual([{ token: "access-1" }]);
    expect(screen.getByTestId("live-indicator")).toHaveTextContent("Live");

    act(() => socket.push("booking_status", status("confirmed", "someone-elses-booking")));
    expect(router.state.location.pathname).toBe(`/checkout/${BOOKING_ID}`);

    act(() => socket.push("booking_status", status("confirmed")));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/bookings/${BOOKING_ID}`));
    expect(router.state.location.search).toBe("?confirmed=1");
    expect(await screen.findByText("You're going! Your booking is confirmed.")).toBeInTheDocument();
    expect(api.calls(BOOKING).length).toBeGreaterThanOrEqual(2);
  });

  it("shows the expired hold at once", async () => {
    mockApi({
      [BOOKING]: [() => json(makeBooking()), () => json(makeBooking({ status: "expired", expired_at: new Date().toISOString() }))],
      [START]: () => json(makePaymentStart(), 201),
    });
    renderAt(`/checkout/${BOOKING_ID}`, signedIn(makeUser()));
    await screen.findByRole("timer");
    const socket = fakeSockets().current;
    act(() => socket.accept());

    act(() => socket.push("booking_status", status("expired")));
    expect(await screen.findByText("Your hold expired")).toBeInTheDocument();
    expect(screen.queryByRole("timer")).not.toBeInTheDocument();
    expect(screen.queryByTestId("live-indicator")).not.toBeInTheDocument();
  });

  it("refetches the booking after a reconnection (messages are not replayed)", async () => {
    const api = mockApi({
      [BOOKING]: () => json(makeBooking()),
      [START]: () => json(makePaymentStart(), 201),
    });
    renderAt(`/checkout/${BOOKING_ID}`, signedIn(makeUser()));
    await screen.findByRole("timer");
    const socket = fakeSockets().current;
    act(() => socket.accept());
    const before = api.calls(BOOKING).length;
    act(() => socket.drop());
    expect(screen.getByTestId("live-indicator")).toHaveTextContent("Reconnecting…");
    act(() => socket.accept());
    await waitFor(() => expect(api.calls(BOOKING).length).toBe(before + 1));
  });
});
