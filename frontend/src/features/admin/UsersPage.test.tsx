import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { bodyOf, json, makeUser, mockApi, problem, renderAt, signedIn } from "../auth/testing";

const admin = makeUser({ id: "0b6f7c1e-0000-4000-8000-0000000000aa", full_name: "Ada Admin", email: "ada@example.com", role: "admin" });
const casey = makeUser({ email_verified: false });
const olga = makeUser({ id: "0b6f7c1e-0000-4000-8000-000000000002", full_name: "Olga Organizer", email: "olga@example.com", role: "organizer" });

function page(items = [admin, casey, olga], next_cursor: string | null = null, total = items.length) {
  return { items, next_cursor, total };
}

describe("admin users page", () => {
  it("renders the users and changes a role after confirmation", async () => {
    const api = mockApi({
      "GET /api/users": () => json(page()),
      "PUT /api/users/0b6f7c1e-0000-4000-8000-000000000001/role": () => json({ ...casey, role: "organizer" }),
    });
    renderAt("/admin/users", signedIn(admin));

    const table = await screen.findByRole("table", { name: "Users" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(4); // header + 3 users
    expect(screen.getByText("Showing 3 of 3 users")).toBeInTheDocument();
    const caseyRow = within(table).getByRole("row", { name: /Casey Customer/ });
    expect(within(caseyRow).getByText("casey@example.com")).toBeInTheDocument();
    expect(within(caseyRow).getByText("Unconfirmed email")).toBeInTheDocument();
    expect(within(within(table).getByRole("row", { name: /Ada Admin/ })).getByText("You")).toBeInTheDocument();

    const select = within(caseyRow).getByRole("combobox", { name: "Role of Casey Customer" });
    expect(select).toHaveValue("customer");
    await userEvent.selectOptions(select, "organizer");

    const dialog = screen.getByRole("alertdialog", { name: "Make Casey Customer an organizer?" });
    expect(dialog).toHaveTextContent("Customer → Organizer");
    expect(api.calls("PUT /api/users/0b6f7c1e-0000-4000-8000-000000000001/role")).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole("button", { name: "Change role" }));

    // Optimistic: the table shows the new role at once.
    expect(select).toHaveValue("organizer");
    expect(await screen.findByText("Casey Customer is now an organizer.")).toBeInTheDocument();
    const [put] = api.calls("PUT /api/users/0b6f7c1e-0000-4000-8000-000000000001/role");
    expect(await bodyOf(put!)).toEqual({ role: "organizer" });
    expect(put!.headers.get("Authorization")).toBe("Bearer access-1");
    expect(select).toHaveValue("organizer");
  });

  it("rolls back and explains when the last admin would be demoted", async () => {
    mockApi({
      "GET /api/users": () => json(page([admin])),
      [`PUT /api/users/${admin.id}/role`]: () =>
        problem(409, { code: "last_admin", title: "Conflict", detail: "The platform needs at least one active admin." }),
    });
    renderAt("/admin/users", signedIn(admin));

    const select = await screen.findByRole("combobox", { name: "Role of Ada Admin" });
    await userEvent.selectOptions(select, "customer");
    const dialog = screen.getByRole("alertdialog");
    expect(dialog).toHaveTextContent("This is your own account");
    await userEvent.click(within(dialog).getByRole("button", { name: "Change role" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Boxoffice needs an admin");
    expect(alert).toHaveTextContent("Make someone else an admin");
    await waitFor(() => expect(select).toHaveValue("admin"));
  });

  it("cancelling the confirmation changes nothing", async () => {
    const api = mockApi({ "GET /api/users": () => json(page()) });
    renderAt("/admin/users", signedIn(admin));

    const select = await screen.findByRole("combobox", { name: "Role of Olga Organizer" });
    await userEvent.selectOptions(select, "admin");
    await userEvent.keyboard("{Escape}");

    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(select).toHaveValue("organizer");
    expect(api.requests.filter((r) => r.method === "PUT")).toHaveLength(0);
  });

  it("disables an account after confirmation", async () => {
    const api = mockApi({
      "GET /api/users": () => json(page()),
      [`PUT /api/users/${olga.id}/active`]: () => json({ ...olga, is_active: false }),
    });
    renderAt("/admin/users", signedIn(admin));

    await userEvent.click(await screen.findByRole("button", { name: "Disable Olga Organizer" }));
    await userEvent.click(within(screen.getByRole("alertdialog")).getByRole("button", { name: "Disable account" }));

    expect(await screen.findByRole("button", { name: "Enable Olga Organizer" })).toBeInTheDocument();
    expect(await bodyOf(api.calls(`PUT /api/users/${olga.id}/active`)[0]!)).toEqual({ is_active: false });
    // No disable button for yourself.
    expect(screen.queryByRole("button", { name: "Disable Ada Admin" })).not.toBeInTheDocument();
  });

  it("searches, filters by role and loads more with the cursor", async () => {
    const api = mockApi({
      "GET /api/users": (request) => {
        const url = new URL(request.url);
        return url.searchParams.get("cursor") === "c2"
          ? json(page([olga], null, 2))
          : json(page([casey], "c2", 2));
      },
    });
    const { router } = renderAt("/admin/users", signedIn(admin));

    expect(await screen.findByText("Showing 1 of 2 users")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByText("Showing 2 of 2 users")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    expect(new URL(api.calls("GET /api/users")[1]!.url).searchParams.get("cursor")).toBe("c2");

    await userEvent.type(screen.getByLabelText("Search users"), "olga");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    await userEvent.selectOptions(screen.getByLabelText("Role"), "organizer");

    await waitFor(() => expect(router.state.location.search).toBe("?q=olga&role=organizer"));
    await waitFor(() => {
      const last = new URL(api.calls("GET /api/users").at(-1)!.url);
      expect(last.searchParams.get("q")).toBe("olga");
      expect(last.searchParams.get("role")).toBe("organizer");
      expect(last.searchParams.has("cursor")).toBe(false);
    });
  });
});
