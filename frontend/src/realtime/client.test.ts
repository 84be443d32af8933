import { afterEach, describe, expect, it, vi } from "vitest";
import type { RefreshOutcome } from "../features/auth/refresh";
import { eventRoom, LINGER_MS, organizerRoom, RealtimeClient, type SessionSource } from "./client";
import type { Availability } from "./messages";
import { fakeSockets } from "./testing";

const EVENT = "6f1c2a4e-0000-4000-8000-00000000e001";
const TT = "70000000-0000-4000-8000-000000000001";

function availability(remaining: number, at: string): Availability {
  return {
    event_id: EVENT,
    ticket_types: [{ id: TT, remaining, price_minor: 2500, sold_out: remaining === 0, sales_status: remaining === 0 ? "sold_out" : "on_sale" }],
    remaining,
    sold_out: remaining === 0,
    currency: "EUR",
    at,
    changed_at: null,
  };
}

/** A session the test drives: token, user, the first check, and what a refresh answers. */
function fakeSession(initial: { token: string | null; userId?: string | null; checking?: boolean }) {
  let state = { userId: null as string | null, checking: false, ...initial };
  const listeners = new Set<() => void>();
  const refresh = vi.fn<() => Promise<RefreshOutcome>>();
  const source: SessionSource = {
    token: () => state.token,
    userId: () => state.userId,
    checking: () => state.checking,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh,
  };
  return {
    source,
    refresh,
    set(next: Partial<typeof state>) {
      state = { ...state, ...next };
      for (const listener of [...listeners]) listener();
    },
  };
}

const clients: RealtimeClient[] = [];
function makeClient(session: SessionSource) {
  const client = new RealtimeClient(session);
  clients.push(client);
  return client;
}

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  vi.useRealTimers();
});

describe("realtime client", () => {
  it("connects lazily, once, with the access token; anonymous without one", () => {
    const session = fakeSession({ token: "access-1", userId: "u1" });
    const client = makeClient(session.source);
    expect(fakeSockets().all).toHaveLength(0);
    expect(client.getStatus()).toBe("connecting");

    const stopA = client.retain();
    const stopB = client.retain();
    expect(fakeSockets().all).toHaveLength(1);
    const socket = fakeSockets().current;
    expect(socket.options).toMatchObject({ path: "/socket.io/", transports: ["websocket"], autoConnect: false });
    expect(socket.connectCalls).toBe(1);
    socket.accept();
    expect(socket.auths).toEqual([{ token: "access-1" }]);
    expect(client.getStatus()).toBe("live");
    expect(client.isAuthenticated()).toBe(true);
    stopA();
    stopB();

    const anonymous = makeClient(fakeSession({ token: null }).source);
    anonymous.retain();
    fakeSockets().current.accept();
    expect(fakeSockets().current.auths).toEqual([{}]);
    expect(anonymous.isAuthenticated()).toBe(false);
  });

  it("waits for the first session check before connecting", () => {
    const session = fakeSession({ token: null, checking: true });
    const client = makeClient(session.source);
    client.retain();
    expect(fakeSockets().all).toHaveLength(0);
    session.set({ checking: false, token: "access-1", userId: "u1" });
    expect(fakeSockets().all).toHaveLength(1);
    fakeSockets().current.accept();
    expect(fakeSockets().current.auths).toEqual([{ token: "access-1" }]);
  });

  it("joins a room once however many pages follow it, and leaves when the last one goes", () => {
    const client = makeClient(fakeSession({ token: null }).source);
    const leaveA = client.joinRoom(eventRoom(EVENT));
    const socket = fakeSockets().current;
    socket.accept();
    const leaveB = client.joinRoom(eventRoom(EVENT));
    expect(socket.sent("join_event")).toEqual([{ event_id: EVENT }]);
    expect(client.roomStatus(`event:${EVENT}`)).toBe("live");

    leaveA();
    leaveA(); // twice is once
    expect(socket.sent("leave_event")).toEqual([]);
    leaveB();
    expect(socket.sent("leave_event")).toEqual([{ event_id: EVENT }]);

    client.joinRoom(organizerRoom());
    expect(socket.sent("join_organizer")).toEqual([{}]);
    client.joinRoom(organizerRoom("org-2"));
    expect(socket.sent("join_organizer")).toEqual([{}, { organizer_id: "org-2" }]);
  });

  it("re-joins every room after a reconnection and asks pages to refetch", () => {
    const client = makeClient(fakeSession({ token: null }).source);
    const resync = vi.fn();
    client.onResync(resync);
    client.joinRoom(eventRoom(EVENT));
    client.joinRoom(organizerRoom());
    const socket = fakeSockets().current;
    socket.accept();
    expect(resync).not.toHaveBeenCalled(); // the first connection: pages just loaded

    socket.drop();
    expect(client.getStatus()).toBe("reconnecting");
    expect(client.roomStatus(`event:${EVENT}`)).toBe("reconnecting");
    socket.accept();
    expect(client.getStatus()).toBe("live");
    expect(socket.sent("join_event")).toEqual([{ event_id: EVENT }, { event_id: EVENT }]);
    expect(socket.sent("join_organizer")).toHaveLength(2);
    expect(resync).toHaveBeenCalledTimes(1);
    expect(fakeSockets().all).toHaveLength(1); // the same socket reconnected
  });

  it("drops messages older than the last one applied", () => {
    const client = makeClient(fakeSession({ token: null }).source);
    const seen: number[] = [];
    client.on("availability", (m) => seen.push(m.remaining ?? -1));
    client.joinRoom(eventRoom(EVENT));
    const socket = fakeSockets().current;
    socket.accept();

    socket.push("availability", availability(10, "2030-01-01T10:00:00.200Z"));
    socket.push("availability", availability(12, "2030-01-01T10:00:00.100Z")); // overtaken: ignored
    socket.push("availability", availability(9, "2030-01-01T10:00:00.200Z")); // same instant: applied
    socket.push("availability", availability(8, "2030-01-01T10:00:00.300Z"));
    socket.push("availability", { nonsense: true } as unknown as Availability); // malformed: ignored
    expect(seen).toEqual([10, 9, 8]);
  });

  it("says which rooms the server refused", () => {
    const client = makeClient(fakeSession({ token: null }).source);
    client.joinRoom(eventRoom(EVENT));
    const socket = fakeSockets().current;
    socket.answer = () => ({ ok: false, room: null, code: "event_not_found", message: "No such event on sale." });
    socket.accept();
    expect(client.roomStatus(`event:${EVENT}`)).toBe("unavailable");
    expect(client.getStatus()).toBe("live");
  });

  it("refreshes a refused token and connects again with the new one", async () => {
    const session = fakeSession({ token: "old", userId: "u1" });
    session.refresh.mockImplementation(async () => {
      session.set({ token: "new" });
      return { ok: true, accessToken: "new" };
    });
    const client = makeClient(session.source);
    client.retain();
    const socket = fakeSockets().current;
    socket.refuse("token_expired");
    expect(session.refresh).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(socket.connectCalls).toBe(2));
    socket.accept();
    expect(socket.auths).toEqual([{ token: "old" }, { token: "new" }]);
    expect(client.isAuthenticated()).toBe(true);
  });

  it("falls back to anonymous when the session cannot be renewed", async () => {
    const session = fakeSession({ token: "old", userId: "u1" });
    session.refresh.mockImplementation(async () => {
      session.set({ token: null, userId: null }); // the refresh ended the session
      return { ok: false, reason: "rejected", code: "invalid_refresh_token" };
    });
    const client = makeClient(session.source);
    client.retain();
    const socket = fakeSockets().current;
    socket.refuse("session_revoked");
    await vi.waitFor(() => expect(socket.connectCalls).toBe(2));
    socket.accept();
    expect(socket.auths).toEqual([{ token: "old" }, {}]);
    expect(client.getStatus()).toBe("live");
    expect(client.isAuthenticated()).toBe(false);
  });

  it("connects again as the new person when someone signs in or out", () => {
    const session = fakeSession({ token: null });
    const client = makeClient(session.source);
    client.joinRoom(eventRoom(EVENT));
    const socket = fakeSockets().current;
    socket.accept();

    session.set({ token: "refreshed-but-still-anonymous-is-impossible", userId: "u1" });
    expect(client.getStatus()).toBe("connecting");
    socket.accept();
    expect(socket.auths.at(-1)).toEqual({ token: "refreshed-but-still-anonymous-is-impossible" });
    expect(socket.sent("join_event")).toHaveLength(2);

    // A renewed token is sent on the next reconnection, without dropping the connection now.
    session.set({ token: "renewed" });
    expect(client.getStatus()).toBe("live");

    session.set({ token: null, userId: null });
    socket.accept();
    expect(socket.auths.at(-1)).toEqual({});
  });

  it("says offline after repeated failures and retries a refused connection with backoff", () => {
    vi.useFakeTimers();
    const client = makeClient(fakeSession({ token: null }).source);
    client.retain();
    const socket = fakeSockets().current;
    socket.failAttempt(); // transport failures: socket.io-client retries by itself
    expect(client.getStatus()).toBe("connecting");
    socket.failAttempt();
    socket.failAttempt();
    expect(client.getStatus()).toBe("offline");
    socket.accept();
    expect(client.getStatus()).toBe("live");

    // The server closed it (a restart): socket.io-client leaves the retry to us.
    socket.drop("io server disconnect");
    expect(client.getStatus()).toBe("reconnecting");
    const calls = socket.connectCalls;
    vi.advanceTimersByTime(1_000);
    expect(socket.connectCalls).toBe(calls + 1);

    // Refused while the server starts up: retried later, not at once.
    socket.refuse("unavailable");
    expect(socket.connectCalls).toBe(calls + 1);
    vi.advanceTimersByTime(5_000);
    expect(socket.connectCalls).toBe(calls + 2);
    socket.accept();
    expect(client.getStatus()).toBe("live");
  });

  it("closes the connection a little after the last page stops needing it", () => {
    vi.useFakeTimers();
    const client = makeClient(fakeSession({ token: null }).source);
    const stop = client.joinRoom(eventRoom(EVENT));
    const socket = fakeSockets().current;
    socket.accept();
    stop();
    vi.advanceTimersByTime(LINGER_MS - 100);
    // Back within the grace period (a navigation): the same connection is reused.
    const again = client.retain();
    vi.advanceTimersByTime(LINGER_MS);
    expect(socket.connected).toBe(true);
    again();
    vi.advanceTimersByTime(LINGER_MS);
    expect(socket.connected).toBe(false);
    expect(client.getStatus()).toBe("connecting");

    client.retain();
    expect(fakeSockets().all).toHaveLength(2); // a fresh socket next time
  });
});
