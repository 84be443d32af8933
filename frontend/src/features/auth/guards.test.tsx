import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { json, makeUser, mockApi, problem, renderAt, signedIn, tokenResponse } from "./testing";

const noSession = () => problem(401, { code: "invalid_refresh_token", detail: "Your session has ended. Please sign in again." });

describe("route guards", () => {
  it("waits for the silent refresh (spinner, no sign-in flash) and then redirects to /login?next=", async () => {
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    mockApi({
      "POST /api/auth/refresh": async () => {
        await answered;
        return noSession();
      },
      "GET /api/auth/oauth/providers": () => json([]),
    });
    const { router } = renderAt("/account/devices?tab=1");

    expect(await screen.findByText("Checking your sign-in…")).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Sign in" })).not.toBeInTheDocument();
    answer();

    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/login");
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent("/account/devices?tab=1")}`);
  });

  it("keeps a reload signed in: the refresh cookie restores the session", async () => {
    const user = makeUser();
    mockApi({
      "POST /api/auth/refresh": () => json(tokenResponse(user, "restored")),
      "GET /api/auth/me": () => json(user),
    });
    const { store } = renderAt("/account");

    expect(await screen.findByRole("heading", { level: 1, name: "Your account" })).toBeInTheDocument();
    expect(store.getState().auth.accessToken).toBe("restored");
  });

  it("RequireRole sends anonymous visitors to sign in", async () => {
    mockApi({ "POST /api/auth/refresh": noSession, "GET /api/auth/oauth/providers": () => json([]) });
    const { router } = renderAt("/admin/users");

    await waitFor(() => expect(router.state.location.pathname).toBe("/login"));
    expect(router.state.location.search).toBe("?next=%2Fadmin%2Fusers");
  });

  it("RequireRole shows a 403 page to the wrong role", async () => {
    const api = mockApi({});
    const { router } = renderAt("/admin/users", signedIn(makeUser({ role: "organizer" })));

    expect(await screen.findByRole("heading", { level: 1, name: "You don't have access to this page" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/admin/users");
    expect(api.calls("GET /api/users")).toHaveLength(0);
  });

  it("RequireRole lets admins in", async () => {
    mockApi({ "GET /api/users": () => json({ items: [], next_cursor: null, total: 0 }) });
    renderAt("/admin/users", signedIn(makeUser({ role: "admin" })));

    expect(await screen.findByRole("heading", { level: 1, name: "Users" })).toBeInTheDocument();
  });
});
