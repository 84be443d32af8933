import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { json, makeUser, mockApi, renderAt, signedIn } from "../auth/testing";
import { makeRefund, makeTicket } from "../bookings/fixtures";
import { EVENT_ID, makeBooking } from "../organizer/fixtures";

vi.setConfig({ testTimeout: 30_000 });

const admin = makeUser({ id: "0b6f7c1e-0000-4000-8000-0000000000aa", full_name: "Ada Admin", role: "admin" });
const USERS_BY_ROLE: Record<string, number> = { customer: 120, organizer: 8, admin: 2 };
const BOOKINGS_BY_STATUS: Record<string, number> = { confirmed: 340, pending_payment: 5, cancelled: 12, expired: 30 };

describe("admin overview", () => {
  it("shows users by role, bookings by status and recent revenue", async () => {
    const today = new Date();
    const recent = [
      makeBooking({ total_minor: 5000, created_at: today.toISOString(), confirmed_at: today.toISOString() }),
      makeBooking({ total_minor: 2500, refunded_minor: 500, created_at: today.toISOString(), confirmed_at: today.toISOString() }),
    ];
    const api = mockApi({
      "GET /api/users": (request) => {
        const role = new URL(request.url).searchParams.get("role") ?? "";
        return json({ items: [], next_cursor: null, total: USERS_BY_ROLE[role] ?? 0 });
      },
      "GET /api/bookings/admin/all": (request) => {
        const params = new URL(request.url).searchParams;
        if (params.get("created_from")) return json({ items: recent, next_cursor: null, total: recent.length });
        return json({ items: [], next_cursor: null, total: BOOKINGS_BY_STATUS[params.get("status") ?? ""] ?? 0 });
      },
    });
    renderAt("/admin", signedIn(admin));

    expect(await screen.findByRole("heading", { name: "Platform overview" })).toBeInTheDocument();
    const stat = (label: string) => screen.getByText(label, { selector: "dt" }).parentElement!;
    await waitFor(() => expect(stat("Users")).toHaveTextContent("130")); // all roles
    await waitFor(() => expect(stat("Confirmed bookings")).toHaveTextContent("340"));
    await waitFor(() => expect(stat("Revenue, 30 days")).toHaveTextContent("€70.00")); // 50.00 + 25.00 - 5.00

    const byStatus = screen.getByRole("region", { name: "Bookings by status" });
    expect(within(byStatus).getByText("Awaiting payment").closest("li")).toHaveTextContent("5");
    expect(within(byStatus).getByText("Expired").closest("li")).toHaveTextContent("30");
    const byRole = screen.getByRole("region", { name: "Users by role" });
    expect(within(byRole).getByText("Organizers").closest("li")).toHaveTextContent("8");
    expect(screen.getByRole("table", { name: /Confirmed bookings per day/ })).toHaveTextContent("2");
    expect(screen.getByRole("link", { name: /Manage users/ })).toHaveAttribute("href", "/admin/users");

    // Counting asks for one row only.
    const counts = api.calls("GET /api/users").map((r) => new URL(r.url).searchParams);
    expect(counts.every((p) => p.get("limit") === "1")).toBe(true);
    expect(counts.map((p) => p.get("role")).sort()).toEqual(["admin", "customer", "organizer"]);
  });

  it("is for admins only", async () => {
    mockApi({});
    renderAt("/admin", signedIn(makeUser({ role: "organizer" })));
    expect(await screen.findByRole("heading", { name: "You don't have access to this page" })).toBeInTheDocument();
  });
});

describe("admin bookings", () => {
  it("filters by status, event, customer and dates, with the total and cursor", async () => {
    const first = makeBooking({ customer_name: "Ada Lovelace", event_title: "Lisbon Jazz Night" });
    const second = makeBooking({ customer_name: "Bob Builder", event_title: "Porto Poetry" });
    const api = mockApi({
      "GET /api/bookings/admin/all": (request) =>
        new URL(request.url).searchParams.get("cursor") === "c2"
          ? json({ items: [second], next_cursor: null, total: 2 })
          : json({ items: [first], next_cursor: "c2", total: 2 }),
    });
    const { router } = renderAt("/admin/bookings", signedIn(admin));

    const table = await screen.findByRole("table", { name: "All bookings" });
    expect(within(table).getByRole("row", { name: /Ada Lovelace/ })).toHaveTextContent("Lisbon Jazz Night");
    expect(screen.getByText("Showing 1 of 2 bookings")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByText("Showing 2 of 2 bookings")).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText("Status"), "confirmed");
    await userEvent.type(screen.getByLabelText("Customer email"), "ada@");
    await userEvent.type(screen.getByLabelText("Event id"), "not-a-uuid");
    await userEvent.click(screen.getByRole("button", { name: "Apply filters" }));
    expect(screen.getByLabelText("Event id")).toHaveAttribute("aria-invalid", "true");

    await userEvent.clear(screen.getByLabelText("Event id"));
    await userEvent.type(screen.getByLabelText("Event id"), EVENT_ID);
    await userEvent.type(screen.getByLabelText("Created from"), "2030-02-01");
    await userEvent.type(screen.getByLabelText("Created to"), "2030-02-28");
    await userEvent.click(screen.getByRole("button", { name: "Apply filters" }));

    await waitFor(() => expect(router.state.location.search).toContain("status=confirmed"));
    await waitFor(() => {
      const last = new URL(api.calls("GET /api/bookings/admin/all").at(-1)!.url).searchParams;
      expect(last.get("status")).toBe("confirmed");
      expect(last.get("customer")).toBe("ada@");
      expect(last.get("event_id")).toBe(EVENT_ID);
      expect(last.get("created_from")).toBe(new Date(2030, 1, 1).toISOString());
      expect(last.get("created_to")).toBe(new Date(2030, 2, 1).toISOString()); // the day after "to"
      expect(last.has("cursor")).toBe(false);
    });
  });

  it("refunds chosen tickets of any booking", async () => {
    const booking = makeBooking({ customer_name: "Ada Lovelace", event_title: "Lisbon Jazz Night" });
    const ticket = makeTicket({ id: "d0000000-0000-4000-8000-0000000000b1", booking_id: booking.id, attendee_name: "Ada" });
    const refund = makeRefund({ booking_id: booking.id, amount_minor: 2500, ticket_ids: [ticket.id] });
    const api = mockApi({
      "GET /api/bookings/admin/all": () => json({ items: [booking], next_cursor: null, total: 1 }),
      [`GET /api/bookings/${booking.id}/tickets`]: () => json([ticket]),
      [`POST /api/bookings/${booking.id}/refunds`]: () => json({ booking, refund, amount_minor: 2500, ticket_ids: [ticket.id] }, 201),
    });
    renderAt("/admin/bookings", signedIn(admin));
    const user = userEvent.setup();

    const table = await screen.findByRole("table", { name: "All bookings" });
    await user.click(within(table).getByRole("button", { name: "Refund some tickets of the booking of Ada Lovelace" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Refund tickets of Ada Lovelace" });
    await user.click(await within(dialog).findByRole("checkbox", { name: /Ada/ }));
    await user.click(within(dialog).getByRole("button", { name: "Refund €25.00" }));

    expect(await screen.findByText("Refunded 1 ticket of Ada Lovelace: €25.00 is being paid back.")).toBeInTheDocument();
    expect(await api.calls(`POST /api/bookings/${booking.id}/refunds`)[0]!.json()).toEqual({ ticket_ids: [ticket.id] });
    await waitFor(() => expect(api.calls("GET /api/bookings/admin/all").length).toBeGreaterThan(1));
  });
});
