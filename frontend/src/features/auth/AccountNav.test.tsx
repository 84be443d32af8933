import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { json, makeUser, mockApi, noContent, renderAt, signedIn } from "./testing";

describe("header account menu", () => {
  it("offers sign-in links to visitors, coming back to the current page", async () => {
    mockApi({ "GET /api/events": () => json({ items: [], next_cursor: null }) });
    renderAt("/?q=jazz");

    const banner = screen.getByRole("banner");
    expect(within(banner).getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login?next=%2F%3Fq%3Djazz");
    expect(within(banner).getByRole("link", { name: "Create account" })).toHaveAttribute("href", "/register?next=%2F%3Fq%3Djazz");
  });

  it("shows the person's menu, with Admin → Users only for admins, and signs out", async () => {
    const api = mockApi({
      "GET /api/events": () => json({ items: [], next_cursor: null }),
      "POST /api/auth/logout": noContent,
    });
    const { store } = renderAt("/", signedIn(makeUser({ role: "admin", full_name: "Ada Lovelace" })));

    const button = screen.getByRole("button", { name: "Account menu for Ada Lovelace" });
    expect(button).toHaveAttribute("aria-expanded", "false");
    await userEvent.click(button);
    expect(button).toHaveAttribute("aria-expanded", "true");

    const menu = screen.getByRole("navigation", { name: "Account" });
    expect(within(menu).getByRole("link", { name: "Account" })).toHaveAttribute("href", "/account");
    expect(within(menu).getByRole("link", { name: "Devices" })).toHaveAttribute("href", "/account/devices");
    expect(within(menu).getByRole("link", { name: "Mailbox" })).toHaveAttribute("href", "/account/mailbox");
    expect(within(menu).getByRole("link", { name: "Users" })).toHaveAttribute("href", "/admin/users");

    await userEvent.keyboard("{Escape}");
    expect(button).toHaveAttribute("aria-expanded", "false");
    expect(button).toHaveFocus();

    await userEvent.click(button);
    await userEvent.click(screen.getByRole("button", { name: "Sign out" }));
    await waitFor(() => expect(store.getState().auth.status).toBe("anonymous"));
    expect(api.calls("POST /api/auth/logout")[0]!.headers.get("X-Requested-With")).toBe("boxoffice");
    expect(await screen.findByRole("link", { name: "Sign in" })).toBeInTheDocument();
  });

  it("has no admin entry for customers", async () => {
    mockApi({ "GET /api/events": () => json({ items: [], next_cursor: null }) });
    renderAt("/", signedIn(makeUser()));

    await userEvent.click(screen.getByRole("button", { name: "Account menu for Casey Customer" }));
    expect(within(screen.getByRole("navigation", { name: "Account" })).queryByRole("link", { name: "Users" })).not.toBeInTheDocument();
  });
});
