import { describe, expect, it } from "vitest";
import { makeStore } from "../../app/store";
import { authApi } from "./authApi";
import { refreshSession } from "./refresh";
import { json, makeUser, mockApi, problem, signedIn, tokenResponse } from "./testing";

const user = makeUser();

/** Resolves when `release()` is called: lets a test hold a response in flight. */
function gate() {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  return { opened, release };
}

describe("silent refresh", () => {
  it("is single-flight: two concurrent 401s cause exactly one refresh, then both retry", async () => {
    const refreshGate = gate();
    const api = mockApi({
      "GET /api/auth/me": (request) =>
        request.headers.get("Authorization") === "Bearer fresh"
          ? json(user)
          : problem(401, { code: "token_expired", detail: "The access token has expired." }),
      "GET /api/auth/sessions": (request) =>
        request.headers.get("Authorization") === "Bearer fresh"
          ? json([])
          : problem(401, { code: "token_expired", detail: "The access token has expired." }),
      "POST /api/auth/refresh": async () => {
        await refreshGate.opened;
        return json(tokenResponse(user, "fresh"));
      },
    });
    const store = makeStore({ auth: signedIn(user, "stale") });

    const me = store.dispatch(authApi.endpoints.me.initiate(user.id));
    const sessions = store.dispatch(authApi.endpoints.sessions.initiate(user.id));
    // Both 401s are in before the refresh answers.
    await new Promise((resolve) => setTimeout(resolve, 20));
    refreshGate.release();
    const [meResult, sessionsResult] = await Promise.all([me, sessions]);

    expect(meResult.data).toEqual(user);
    expect(sessionsResult.data).toEqual([]);
    const refreshes = api.calls("POST /api/auth/refresh");
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]!.headers.get("X-Requested-With")).toBe("boxoffice");
    expect(refreshes[0]!.credentials).toBe("same-origin");
    expect(api.calls("GET /api/auth/me")).toHaveLength(2);
    expect(api.calls("GET /api/auth/sessions")).toHaveLength(2);
    expect(store.getState().auth.accessToken).toBe("fresh");
    me.unsubscribe();
    sessions.unsubscribe();
  });

  it("shares one request between any number of direct callers", async () => {
    const api = mockApi({ "POST /api/auth/refresh": () => json(tokenResponse(user, "fresh")) });
    const store = makeStore();

    const outcomes = await Promise.all([
      store.dispatch(refreshSession()),
      store.dispatch(refreshSession()),
      store.dispatch(refreshSession()),
    ]);

    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(api.calls("POST /api/auth/refresh")).toHaveLength(1);
    expect(store.getState().auth.status).toBe("authenticated");
    // Once settled, the next refresh is a new request.
    await store.dispatch(refreshSession());
    expect(api.calls("POST /api/auth/refresh")).toHaveLength(2);
  });

  it("retries a request only once and ends the session when the refresh is refused", async () => {
    const api = mockApi({
      "GET /api/auth/me": () => problem(401, { code: "session_revoked", detail: "The session has been signed out." }),
      "POST /api/auth/refresh": () =>
        problem(401, { code: "refresh_token_reused", detail: "This sign-in was used from somewhere else." }),
    });
    const store = makeStore({ auth: signedIn(user, "stale") });

    const result = await store.dispatch(authApi.endpoints.me.initiate(user.id));

    expect(result.error).toMatchObject({ status: 401 });
    expect(api.calls("GET /api/auth/me")).toHaveLength(1);
    expect(api.calls("POST /api/auth/refresh")).toHaveLength(1);
    expect(store.getState().auth).toMatchObject({ accessToken: null, status: "anonymous", endedReason: "reused" });
  });

  it("does not refresh after a wrong password", async () => {
    const api = mockApi({
      "POST /api/auth/login": () => problem(401, { code: "invalid_credentials", detail: "The email or password is incorrect." }),
    });
    const store = makeStore({ auth: signedIn(user, "token") });

    await store.dispatch(authApi.endpoints.login.initiate({ email: "a@b.co", password: "x" }));

    expect(api.calls("POST /api/auth/refresh")).toHaveLength(0);
  });

  it("lets a sign-in that lands during the start-up refresh win", async () => {
    const refreshGate = gate();
    mockApi({
      "POST /api/auth/refresh": async () => {
        await refreshGate.opened;
        return problem(401, { code: "invalid_refresh_token", detail: "Your session has ended." });
      },
      "POST /api/auth/login": () => json(tokenResponse(user, "from-login")),
    });
    const store = makeStore();

    const startup = store.dispatch(refreshSession());
    expect(store.getState().auth.status).toBe("checking");
    await store.dispatch(authApi.endpoints.login.initiate({ email: user.email, password: "Secret123" }));
    refreshGate.release();
    await startup;

    expect(store.getState().auth).toMatchObject({ accessToken: "from-login", status: "authenticated" });
  });
});
