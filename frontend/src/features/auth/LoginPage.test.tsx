import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { bodyOf, json, makeUser, mockApi, problem, renderAt, tokenResponse } from "./testing";

const user = makeUser();

describe("sign-in page", () => {
  it("signs in, keeps the token in the store and goes to `next`", async () => {
    const api = mockApi({
      "GET /api/auth/oauth/providers": () => json([]),
      "POST /api/auth/login": () => json(tokenResponse(user, "token-abc")),
      "GET /api/auth/me": () => json(user),
    });
    const { store, router } = renderAt("/login?next=%2Faccount");

    await userEvent.type(screen.getByLabelText("Email"), "casey@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "Secret123");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/account"));
    expect(await screen.findByRole("heading", { level: 1, name: "Your account" })).toBeInTheDocument();
    expect(store.getState().auth.accessToken).toBe("token-abc");
    expect(store.getState().auth.user?.email).toBe("casey@example.com");

    const [login] = api.calls("POST /api/auth/login");
    expect(await bodyOf(login!)).toEqual({ email: "casey@example.com", password: "Secret123", token_delivery: "cookie" });
    expect(login!.credentials).toBe("same-origin");
    // Later calls carry the new token.
    const [me] = api.calls("GET /api/auth/me");
    expect(me!.headers.get("Authorization")).toBe("Bearer token-abc");
    // The header now shows the account menu.
    expect(screen.getByRole("button", { name: /account menu for casey/i })).toBeInTheDocument();
  });

  it("shows the server's message when the credentials are wrong", async () => {
    mockApi({
      "GET /api/auth/oauth/providers": () => json([]),
      "POST /api/auth/login": () =>
        problem(401, { code: "invalid_credentials", title: "Authentication required", detail: "The email or password is incorrect." }),
    });
    const { store, router } = renderAt("/login");

    await userEvent.type(screen.getByLabelText("Email"), "casey@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "nope");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The email or password is incorrect.");
    expect(within(alert).getByRole("link", { name: "Reset your password" })).toHaveAttribute("href", "/forgot-password");
    await waitFor(() => expect(alert).toHaveFocus());
    expect(store.getState().auth.accessToken).toBeNull();
    expect(router.state.location.pathname).toBe("/login");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("says when to try again after too many attempts", async () => {
    mockApi({
      "GET /api/auth/oauth/providers": () => json([]),
      "POST /api/auth/login": () =>
        problem(429, { code: "account_locked", detail: "Too many failed sign-in attempts." }, { "Retry-After": "840" }),
    });
    renderAt("/login");

    await userEvent.type(screen.getByLabelText("Email"), "casey@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "nope");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Try again in 14 minutes.");
  });

  it("checks the fields before sending and focuses the first invalid one", async () => {
    const api = mockApi({ "GET /api/auth/oauth/providers": () => json([]) });
    renderAt("/login");

    await userEvent.type(screen.getByLabelText("Email"), "not-an-email");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    const email = screen.getByLabelText("Email");
    await waitFor(() => expect(email).toHaveFocus());
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription(/email address like name@example.com/);
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("Enter your password.");
    expect(api.calls("POST /api/auth/login")).toHaveLength(0);
  });

  it("shows a button per OAuth provider and explains provider errors", async () => {
    mockApi({
      "GET /api/auth/oauth/providers": () =>
        json([{ name: "github", label: "GitHub", authorize_url: "/api/auth/oauth/github" }]),
    });
    renderAt("/login?next=%2Faccount%2Fdevices&oauth_error=oauth_email_unverified");

    expect(screen.getByRole("alert")).toHaveTextContent("The provider has not verified this email address");
    const github = await screen.findByRole("link", { name: "Continue with GitHub" });
    expect(github).toHaveAttribute("href", "/api/auth/oauth/github?next=%2Faccount%2Fdevices");
  });

  it("never redirects off-site after signing in", async () => {
    mockApi({
      "GET /api/auth/oauth/providers": () => json([]),
      "POST /api/auth/login": () => json(tokenResponse(user)),
      "GET /api/events": () => json({ items: [], next_cursor: null }),
    });
    const { router } = renderAt("/login?next=%2F%2Fevil.example%2Fphish");

    await userEvent.type(screen.getByLabelText("Email"), "casey@example.com");
    await userEvent.type(screen.getByLabelText("Password"), "Secret123");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/"));
  });
});
