import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { bodyOf, json, makeUser, mockApi, noContent, problem, renderAt, signedIn } from "../auth/testing";

const user = makeUser();
const sessions = [
  {
    id: "5e55e55e-0000-4000-8000-000000000001",
    device_label: "Firefox 128 on Linux",
    user_agent: "Mozilla/5.0",
    ip_address: "203.0.113.7",
    login_method: "password",
    created_at: "2025-03-01T09:00:00Z",
    last_used_at: new Date().toISOString(),
    expires_at: "2025-04-01T09:00:00Z",
    current: true,
  },
  {
    id: "5e55e55e-0000-4000-8000-000000000002",
    device_label: "Mobile Safari 17 on iOS (mobile)",
    user_agent: "Mozilla/5.0 (iPhone)",
    ip_address: null,
    login_method: "oauth:google",
    created_at: "2025-02-01T09:00:00Z",
    last_used_at: "2025-02-02T09:00:00Z",
    expires_at: "2025-04-01T09:00:00Z",
    current: false,
  },
];

describe("devices page", () => {
  it("lists sessions with a 'This device' badge and signs another device out", async () => {
    const api = mockApi({
      "GET /api/auth/sessions": () => json(sessions),
      [`DELETE /api/auth/sessions/${sessions[1]!.id}`]: noContent,
    });
    renderAt("/account/devices", signedIn(user));

    const list = await screen.findByRole("list", { name: "Signed-in devices" });
    const [current, other] = within(list).getAllByRole("listitem");
    expect(current).toHaveTextContent("This device");
    expect(current).toHaveTextContent("203.0.113.7");
    expect(other).not.toHaveTextContent("This device");
    expect(other).toHaveTextContent("Google");

    await userEvent.click(within(other!).getByRole("button", { name: "Sign out Mobile Safari 17 on iOS (mobile)" }));

    expect(await screen.findByText("Mobile Safari 17 on iOS (mobile) was signed out.")).toBeInTheDocument();
    expect(within(list).getAllByRole("listitem")).toHaveLength(1);
    expect(api.calls(`DELETE /api/auth/sessions/${sessions[1]!.id}`)).toHaveLength(1);
  });

  it("signs out everywhere after confirmation", async () => {
    const api = mockApi({
      "GET /api/auth/sessions": () => json(sessions),
      "POST /api/auth/logout-all": noContent,
      "GET /api/auth/oauth/providers": () => json([]),
    });
    const { router, store } = renderAt("/account/devices", signedIn(user));

    await screen.findByRole("list", { name: "Signed-in devices" });
    await userEvent.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    const dialog = screen.getByRole("alertdialog", { name: "Sign out everywhere?" });
    // Destructive: focus starts on Cancel.
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole("button", { name: "Sign out everywhere" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/login"));
    expect(store.getState().auth).toMatchObject({ accessToken: null, status: "anonymous", endedReason: "signed_out" });
    expect(api.calls("POST /api/auth/logout-all")[0]!.headers.get("Authorization")).toBe("Bearer access-1");
    expect(await screen.findByText("You're signed out. See you soon!")).toBeInTheDocument();
  });
});

describe("mailbox", () => {
  it("shows the mails with clickable links and the demo note", async () => {
    mockApi({
      "GET /api/mail/mine": () =>
        json([
          {
            id: "ma11ma11-0000-4000-8000-000000000001",
            to_address: user.email,
            template: "verify_email",
            subject: "Confirm your email",
            text_body: `Hi Casey,\n\nConfirm your address: ${window.location.origin}/verify-email?token=abcdefghijkl.\nOr visit https://example.org/help`,
            html_body: "<p>ignored</p>",
            status: "outbox",
            created_at: new Date().toISOString(),
            sent_at: null,
          },
        ]),
    });
    renderAt("/account/mailbox", signedIn(user));

    expect(await screen.findByText("Confirm your email")).toBeInTheDocument();
    expect(screen.getByText(/emails are shown here instead of being sent/)).toBeInTheDocument();
    const verify = screen.getByRole("link", { name: `${window.location.origin}/verify-email?token=abcdefghijkl` });
    // In-app link, without the sentence's full stop.
    expect(verify).toHaveAttribute("href", "/verify-email?token=abcdefghijkl");
    expect(screen.getByRole("link", { name: "https://example.org/help" })).toHaveAttribute("href", "https://example.org/help");
    expect(screen.queryByText("ignored")).not.toBeInTheDocument();
  });

  it("explains when mail is delivered by real email", async () => {
    mockApi({
      "GET /api/mail/mine": () => problem(404, { code: "outbox_disabled", detail: "Mail is delivered by email on this server." }),
    });
    renderAt("/account/mailbox", signedIn(user));

    expect(await screen.findByRole("heading", { name: "Your emails go to your inbox" })).toBeInTheDocument();
  });
});

describe("account page", () => {
  it("asks unconfirmed people to confirm and resends the link", async () => {
    const unconfirmed = makeUser({ email_verified: false });
    const api = mockApi({
      "GET /api/auth/me": () => json(unconfirmed),
      "GET /api/mail/mine": () => json([]),
      "POST /api/auth/verify-email/resend": () =>
        json({ message: "If your address is not yet confirmed, a new link is on its way." }, 202),
    });
    renderAt("/account", signedIn(unconfirmed));

    expect(await screen.findByText("Confirm your email to book paid tickets")).toBeInTheDocument();
    expect(await screen.findByRole("link", { name: "Open mailbox" })).toHaveAttribute("href", "/account/mailbox");
    await userEvent.click(screen.getByRole("button", { name: "Resend link" }));

    expect(await screen.findByText("If your address is not yet confirmed, a new link is on its way.")).toBeInTheDocument();
    expect(api.calls("POST /api/auth/verify-email/resend")).toHaveLength(1);
  });

  it("saves the name and updates the header", async () => {
    const api = mockApi({
      "GET /api/auth/me": () => json(user),
      "PATCH /api/auth/me": async (request) => json({ ...user, ...((await request.json()) as object) }),
    });
    renderAt("/account", signedIn(user));

    const name = await screen.findByLabelText("Full name");
    await userEvent.clear(name);
    await userEvent.type(name, "Casey Jones");
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));

    expect(await screen.findByText("Your profile is saved.")).toBeInTheDocument();
    expect(await bodyOf(api.calls("PATCH /api/auth/me")[0]!)).toEqual({ full_name: "Casey Jones" });
    expect(screen.getByRole("button", { name: "Account menu for Casey Jones" })).toBeInTheDocument();
  });

  it("shows a wrong current password on its field and weak new-password rules on theirs", async () => {
    mockApi({
      "GET /api/auth/me": () => json(user),
      "POST /api/auth/change-password": [
        () => problem(400, { code: "wrong_password", detail: "The current password is incorrect." }),
        () =>
          problem(400, {
            code: "weak_password",
            detail: "Password is too common; choose another.",
            errors: [{ field: "new_password", message: "Password is too common; choose another." }],
          }),
      ],
    });
    renderAt("/account", signedIn(user));

    const current = await screen.findByLabelText("Current password");
    const next = screen.getByLabelText("New password");
    await userEvent.type(current, "wrong");
    await userEvent.type(next, "Qwerty123!");
    await userEvent.click(screen.getByRole("button", { name: "Change password" }));

    await waitFor(() => expect(current).toHaveFocus());
    expect(current).toHaveAccessibleDescription("The current password is incorrect.");

    await userEvent.click(screen.getByRole("button", { name: "Change password" }));
    await waitFor(() => expect(next).toHaveFocus());
    expect(next).toHaveAttribute("aria-invalid", "true");
    expect(next).toHaveAccessibleDescription(/Password is too common; choose another\./);
  });
});

describe("email links", () => {
  it("confirms the email once from /verify-email?token=", async () => {
    const api = mockApi({ "POST /api/auth/verify-email": () => json(makeUser()) });
    renderAt("/verify-email?token=abcdefghijkl");

    expect(await screen.findByRole("heading", { name: "Email confirmed" })).toBeInTheDocument();
    expect(api.calls("POST /api/auth/verify-email")).toHaveLength(1);
    expect(await bodyOf(api.calls("POST /api/auth/verify-email")[0]!)).toEqual({ token: "abcdefghijkl" });
  });

  it("sets a new password from /reset-password?token=", async () => {
    const api = mockApi({
      "POST /api/auth/reset-password": [
        () => problem(400, { code: "invalid_token", detail: "This link is invalid, was already used or has expired." }),
        noContent,
      ],
    });
    renderAt("/reset-password?token=abcdefghijkl");

    await userEvent.type(screen.getByLabelText("New password"), "Brand-New-Pass-9");
    await userEvent.click(screen.getByRole("button", { name: "Set new password" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByRole("link", { name: "Request a new link" })).toHaveAttribute("href", "/forgot-password");

    await userEvent.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByRole("heading", { name: "Password changed" })).toBeInTheDocument();
    expect(await bodyOf(api.calls("POST /api/auth/reset-password")[1]!)).toEqual({
      token: "abcdefghijkl",
      new_password: "Brand-New-Pass-9",
    });
  });

  it("finishes a provider sign-in at /auth/complete", async () => {
    mockApi({
      "POST /api/auth/refresh": () =>
        json({ access_token: "oauth-token", token_type: "bearer", expires_in: 900, refresh_token: null, user }),
      "GET /api/auth/sessions": () => json(sessions),
    });
    const { router, store } = renderAt("/auth/complete?next=%2Faccount%2Fdevices");

    await waitFor(() => expect(router.state.location.pathname).toBe("/account/devices"));
    expect(store.getState().auth.accessToken).toBe("oauth-token");
  });
});
