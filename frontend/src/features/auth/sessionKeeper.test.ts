import { afterEach, describe, expect, it, vi } from "vitest";
import { makeStore } from "../../app/store";
import { refreshDelay, startSession } from "./sessionKeeper";
import { json, makeUser, mockApi, problem, tokenResponse } from "./testing";

const user = makeUser();

describe("refreshDelay", () => {
  it("renews a minute before expiry, or half-way through short-lived tokens", () => {
    expect(refreshDelay(900_000)).toBe(840_000);
    expect(refreshDelay(90_000)).toBe(45_000);
    expect(refreshDelay(0)).toBe(1_000);
  });
});

describe("startSession", () => {
  afterEach(() => vi.useRealTimers());

  it("restores the session at start and renews it ~60 s before it expires", async () => {
    vi.useFakeTimers();
    let issued = 0;
    const api = mockApi({ "POST /api/auth/refresh": () => json(tokenResponse(user, `token-${++issued}`, 900)) });
    const store = makeStore();

    const stop = startSession(store);
    expect(store.getState().auth.status).toBe("checking");
    await vi.waitFor(() => expect(store.getState().auth.accessToken).toBe("token-1"));

    await vi.advanceTimersByTimeAsync(839_000);
    expect(api.calls("POST /api/auth/refresh")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.waitFor(() => expect(store.getState().auth.accessToken).toBe("token-2"));
    expect(api.calls("POST /api/auth/refresh")).toHaveLength(2);
    stop();
  });

  it("settles on signed out when there is no session cookie", async () => {
    mockApi({ "POST /api/auth/refresh": () => problem(401, { code: "invalid_refresh_token" }) });
    const store = makeStore();

    const stop = startSession(store);
    await vi.waitFor(() => expect(store.getState().auth.status).toBe("anonymous"));
    expect(store.getState().auth.endedReason).toBeNull();
    stop();
  });
});
