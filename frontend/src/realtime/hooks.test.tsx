import { act, screen } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { LiveIndicator } from "../components/LiveIndicator";
import { signedIn, makeUser } from "../features/auth/testing";
import { renderWithStore } from "../test/render";
import { useBookingStatusLive, useEventLive, useLiveStatus, useOrganizerLive } from "./hooks";
import type { Availability, BookingStatusChanged } from "./messages";
import { fakeSockets } from "./testing";

const EVENT = "6f1c2a4e-0000-4000-8000-00000000e001";
const BOOKING = "b0000000-0000-4000-8000-000000000001";

function availability(remaining: number, at: string, eventId = EVENT): Availability {
  return { event_id: eventId, ticket_types: [], remaining, sold_out: remaining === 0, currency: "EUR", at, changed_at: null };
}

function EventProbe({ eventId, onResync }: { eventId: string; onResync?: () => void }) {
  const [remaining, setRemaining] = useState<number | null>(null);
  const { status } = useEventLive(eventId, { onAvailability: (m) => setRemaining(m.remaining), ...(onResync ? { onResync } : {}) });
  return (
    <>
      <LiveIndicator status={status} />
      <p>remaining: {remaining ?? "?"}</p>
    </>
  );
}

describe("realtime hooks", () => {
  it("useEventLive joins the room, applies snapshots in order, and re-joins after a reconnection", () => {
    const onResync = vi.fn();
    renderWithStore(<EventProbe eventId={EVENT} onResync={onResync} />);
    const socket = fakeSockets().current;
    expect(screen.getByText("Connecting…")).toBeInTheDocument();

    act(() => socket.accept());
    expect(socket.sent("join_event")).toEqual([{ event_id: EVENT }]);
    expect(screen.getByRole("status")).toHaveTextContent("Live");

    act(() => socket.push("availability", availability(12, "2030-01-01T10:00:01Z")));
    expect(screen.getByText("remaining: 12")).toBeInTheDocument();
    act(() => socket.push("availability", availability(15, "2030-01-01T10:00:00Z"))); // older: ignored
    act(() => socket.push("availability", availability(1, "2030-01-01T10:00:05Z", "another-event"))); // not ours
    expect(screen.getByText("remaining: 12")).toBeInTheDocument();

    act(() => socket.drop());
    expect(screen.getByRole("status")).toHaveTextContent("Reconnecting…");
    act(() => socket.accept());
    expect(socket.sent("join_event")).toEqual([{ event_id: EVENT }, { event_id: EVENT }]);
    expect(onResync).toHaveBeenCalledTimes(1);
    act(() => socket.push("availability", availability(11, "2030-01-01T10:00:09Z")));
    expect(screen.getByText("remaining: 11")).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Live");
  });

  it("two pages on one event share the room; unmounting leaves it", () => {
    function Two() {
      const [second, setSecond] = useState(true);
      return (
        <>
          <EventProbe eventId={EVENT} />
          {second ? <EventProbe eventId={EVENT} /> : null}
          <button type="button" onClick={() => setSecond(false)}>
            close
          </button>
        </>
      );
    }
    const { unmount } = renderWithStore(<Two />);
    const socket = fakeSockets().current;
    act(() => socket.accept());
    expect(fakeSockets().all).toHaveLength(1);
    expect(socket.sent("join_event")).toHaveLength(1);
    act(() => screen.getByRole("button", { name: "close" }).click());
    expect(socket.sent("leave_event")).toHaveLength(0);
    unmount();
    expect(socket.sent("leave_event")).toEqual([{ event_id: EVENT }]);
  });

  it("useOrganizerLive says unavailable when the server refuses the room", () => {
    function Probe() {
      return <LiveIndicator status={useOrganizerLive({})} />;
    }
    renderWithStore(<Probe />);
    const socket = fakeSockets().current;
    socket.answer = () => ({ ok: false, room: null, code: "unauthorized", message: null });
    act(() => socket.accept());
    expect(socket.sent("join_organizer")).toEqual([{}]);
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });

  it("useBookingStatusLive follows one booking, and only on a signed-in connection", () => {
    const seen: string[] = [];
    function Probe() {
      const status = useBookingStatusLive(BOOKING, (m) => seen.push(m.status));
      const overall = useLiveStatus();
      return (
        <p>
          booking: {status} / connection: {overall}
        </p>
      );
    }
    const message = (status: BookingStatusChanged["status"], bookingId = BOOKING): BookingStatusChanged => ({
      booking_id: bookingId,
      event_id: EVENT,
      status,
      at: "2030-01-01T10:00:00Z",
    });

    const anonymous = renderWithStore(<Probe />);
    act(() => fakeSockets().current.accept());
    expect(screen.getByText("booking: unavailable / connection: live")).toBeInTheDocument();
    anonymous.unmount();

    renderWithStore(<Probe />, { auth: signedIn(makeUser()) });
    const socket = fakeSockets().current;
    act(() => socket.accept());
    expect(socket.auths).toEqual([{ token: "access-1" }]);
    expect(screen.getByText("booking: live / connection: live")).toBeInTheDocument();
    act(() => socket.push("booking_status", message("confirmed", "someone-else")));
    act(() => socket.push("booking_status", message("confirmed")));
    expect(seen).toEqual(["confirmed"]);
  });
});
