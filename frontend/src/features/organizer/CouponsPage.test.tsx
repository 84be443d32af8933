import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { bodyOf, json, makeUser, mockApi, problem, renderAt, signedIn } from "../auth/testing";
import { EVENT_ID, makeCoupon, makeEventRead, makeMyEvent, makeTicketType, TT_ID } from "./fixtures";

vi.setConfig({ testTimeout: 30_000 });

const organizer = makeUser({ id: "0b6f7c1e-0000-4000-8000-0000000000bb", role: "organizer" });

function describedBy(input: HTMLElement): string {
  return (input.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");
}

function baseApi(extra: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    "GET /api/coupons": () =>
      json([makeCoupon(), makeCoupon({ id: "0c0c0c0c-0000-4000-8000-000000000002", code: "VIP5", kind: "fixed", amount: 500, currency: "EUR", event_id: EVENT_ID, active: false, usage_limit: null })]),
    "GET /api/events/my/events": () => json({ items: [makeMyEvent()], next_cursor: null }),
    [`GET /api/events/${EVENT_ID}`]: () => json(makeEventRead({ ticket_types: [makeTicketType()] }), 200, { ETag: '"3"' }),
    ...extra,
  });
}

describe("coupons page", () => {
  it("lists coupons with discount, usage, event and status", async () => {
    baseApi();
    renderAt("/organizer/coupons", signedIn(organizer));
    const table = await screen.findByRole("table", { name: "Coupons" });
    const early = within(table).getByRole("row", { name: /EARLY10/ });
    expect(early).toHaveTextContent("10 % off");
    expect(early).toHaveTextContent("3 / 100");
    expect(early).toHaveTextContent("All my events");
    expect(early).toHaveTextContent("Active");
    const vip = within(table).getByRole("row", { name: /VIP5/ });
    expect(vip).toHaveTextContent("€5.00 off");
    expect(vip).toHaveTextContent("3 / ∞");
    expect(vip).toHaveTextContent("Lisbon Jazz Night");
    expect(within(vip).getByRole("button", { name: "Reactivate VIP5" })).toBeInTheDocument();
  });

  it("shows a taken code next to the code field (409 coupon_code_taken)", async () => {
    const api = baseApi({
      "POST /api/coupons": () => problem(409, { code: "coupon_code_taken", title: "Conflict", detail: "A coupon with this code already exists." }),
    });
    renderAt("/organizer/coupons", signedIn(organizer));
    await userEvent.click(await screen.findByRole("button", { name: "New coupon" }));
    const form = screen.getByRole("form", { name: "New coupon" });
    await userEvent.type(within(form).getByLabelText(/^Code/), "early10");
    await userEvent.selectOptions(within(form).getByLabelText("Event"), EVENT_ID);
    await userEvent.click(within(form).getByLabelText("Fixed amount"));
    await userEvent.type(within(form).getByLabelText(/^Amount off \(EUR\)/), "5");
    await userEvent.click(await within(form).findByLabelText("General admission"));
    await userEvent.click(within(form).getByRole("button", { name: "Create coupon" }));

    const code = within(form).getByLabelText(/^Code/);
    await waitFor(() => expect(code).toHaveAttribute("aria-invalid", "true"));
    expect(describedBy(code)).toContain("This code is already used by another coupon.");
    expect(await bodyOf(api.calls("POST /api/coupons")[0]!)).toEqual({
      code: "EARLY10",
      event_id: EVENT_ID,
      kind: "fixed",
      amount: 500,
      currency: "EUR",
      usage_limit: null,
      per_user_limit: null,
      valid_from: null,
      valid_until: null,
      min_purchase_minor: 0,
      ticket_type_ids: [TT_ID],
    });
  });

  it("deactivates a coupon", async () => {
    const api = baseApi({ "PATCH /api/coupons/0c0c0c0c-0000-4000-8000-000000000001": () => json(makeCoupon({ active: false })) });
    renderAt("/organizer/coupons", signedIn(organizer));
    await userEvent.click(await screen.findByRole("button", { name: "Deactivate EARLY10" }));
    expect(await screen.findByText("EARLY10 is deactivated.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reactivate EARLY10" })).toBeInTheDocument();
    expect(await bodyOf(api.calls("PATCH /api/coupons/0c0c0c0c-0000-4000-8000-000000000001")[0]!)).toEqual({ active: false });
  });
});
