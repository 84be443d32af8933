import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { bodyOf, json, makeUser, mockApi, problem, renderAt, tokenResponse } from "./testing";

async function fillForm(password: string) {
  await userEvent.type(screen.getByLabelText("Full name"), "Casey Customer");
  await userEvent.type(screen.getByLabelText("Email"), "casey@example.com");
  await userEvent.type(screen.getByLabelText("Password"), password);
  await userEvent.click(screen.getByRole("button", { name: "Create account" }));
}

describe("registration", () => {
  it("shows the server's password-policy errors next to the password field", async () => {
    const api = mockApi({
      "GET /api/auth/oauth/providers": () => json([]),
      "POST /api/auth/register": () =>
        problem(400, {
          code: "weak_password",
          title: "Password does not meet the policy",
          detail: "Password is too common; choose another. Password must not contain your email address.",
          errors: [
            { field: "password", message: "Password is too common; choose another." },
            { field: "password", message: "Password must not contain your email address." },
          ],
        }),
    });
    renderAt("/register");

    await fillForm("Casey2024x");

    const password = screen.getByLabelText("Password");
    await waitFor(() => expect(password).toHaveFocus());
    expect(password).toHaveAttribute("aria-invalid", "true");
    expect(password).toHaveAccessibleDescription(/Password is too common; choose another\./);
    expect(password).toHaveAccessibleDescription(/Password must not contain your email address\./);
    // The messages sit right under the field, not only in the form's alert.
    const errorBox = document.getElementById(password.getAttribute("aria-describedby")!.split(" ")[0]!)!;
    expect(within(errorBox).getAllByRole("listitem")).toHaveLength(2);
    expect(screen.getByLabelText("Email")).not.toHaveAttribute("aria-invalid");
    expect(screen.getByRole("alert")).toHaveTextContent("Choose a stronger password");
    expect(api.calls("POST /api/auth/login")).toHaveLength(0);
  });

  it("keeps the password checklist up to date while typing", async () => {
    mockApi({ "GET /api/auth/oauth/providers": () => json([]) });
    renderAt("/register");

    const checklist = screen.getByText(/Password requirements:/).parentElement!;
    expect(checklist).toHaveTextContent("0 of 4 met");
    await userEvent.type(screen.getByLabelText("Password"), "abcdefgH");
    expect(checklist).toHaveTextContent("3 of 4 met");
    expect(within(checklist).getByText("A digit").parentElement).toHaveTextContent("Not met: A digit");
    expect(within(checklist).getByText("An upper-case letter").parentElement).toHaveTextContent("Met: An upper-case letter");
  });

  it("refuses a password that breaks the rules before asking the server", async () => {
    const api = mockApi({ "GET /api/auth/oauth/providers": () => json([]) });
    renderAt("/register");

    await fillForm("short");

    const password = screen.getByLabelText("Password");
    await waitFor(() => expect(password).toHaveFocus());
    expect(password).toHaveAccessibleDescription(/doesn't meet the requirements/);
    expect(api.calls("POST /api/auth/register")).toHaveLength(0);
  });

  it("signs the new person in and opens their account", async () => {
    const user = makeUser({ email_verified: false });
    const api = mockApi({
      "GET /api/auth/oauth/providers": () => json([]),
      "POST /api/auth/register": () => json({ message: "Check your inbox to confirm your email address." }, 202),
      "POST /api/auth/login": () => json(tokenResponse(user)),
      "GET /api/auth/me": () => json(user),
      "GET /api/mail/mine": () => json([]),
    });
    const { router, store } = renderAt("/register");

    await fillForm("Sunny-Day-42");

    await waitFor(() => expect(router.state.location.pathname).toBe("/account"));
    expect(await screen.findByText("Welcome to Boxoffice, Casey!")).toBeInTheDocument();
    expect(screen.getByText("Confirm your email to book paid tickets")).toBeInTheDocument();
    expect(store.getState().auth.accessToken).toBe("access-1");
    expect(await bodyOf(api.calls("POST /api/auth/register")[0]!)).toEqual({
      email: "casey@example.com",
      password: "Sunny-Day-42",
      full_name: "Casey Customer",
    });
  });

  it("suggests signing in when the address already has an account", async () => {
    mockApi({
      "GET /api/auth/oauth/providers": () => json([]),
      "POST /api/auth/register": () => json({ message: "Check your inbox to confirm your email address." }, 202),
      "POST /api/auth/login": () => problem(401, { code: "invalid_credentials", detail: "The email or password is incorrect." }),
    });
    const { router } = renderAt("/register");

    await fillForm("Sunny-Day-42");

    const note = await screen.findByText("If you already have an account, sign in or reset your password");
    const box = note.closest("[role=status]") as HTMLElement;
    expect(within(box).getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login?email=casey%40example.com");
    expect(within(box).getByRole("link", { name: "Reset your password" })).toHaveAttribute("href", "/forgot-password");
    expect(router.state.location.pathname).toBe("/register");
  });
});
