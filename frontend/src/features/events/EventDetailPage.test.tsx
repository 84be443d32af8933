import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { bodyOf, json, makeUser, mockApi, problem, renderAt, signedIn } from "../auth/testing";
import { BOOKING_ID, EVENT_ID, makeBooking, makeCoupon, makeEventRead, makeTicketType } from "../bookings/fixtures";

const GA = makeTicketType();
const VIP = makeTicketType({
  id: "70000000-0000-4000-8000-000000000002",
  name: "VIP table",
  description: "Reserved table for two.",
  price_minor: 6000,
  base_price_minor: 8000,
  price_valid_until: "2030-05-01T22:00:00Z",
  remaining: 4,
  min_per_order: 2,
  max_per_order: 4,
  sort_order: 1,
});
const SOLD_OUT = makeTicketType({
  id: "70000000-0000-4000-8000-000000000003",
  name: "Early bird",
  remaining: 0,
  sales_status: "sold_out",
  sort_order: 2,
});
const LATER = makeTicketType({
  id: "70000000-0000-4000-8000-000000000004",
  name: "Door ticket",
  sales_status: "scheduled",
  sales_start: "2030-06-14T18:00:00Z",
  sort_order: 3,
});
const ENDED = makeTicketType({ id: "70000000-0000-4000-8000-000000000005", name: "Student", sales_status: "ended", sort_order: 4 });
const HIDDEN = makeTicketType({ id: "70000000-0000-4000-8000-000000000006", name: "Crew", hidden: true, sort_order: 5 });

const event = makeEventRead({ ticket_types: [GA, VIP, SOLD_OUT, LATER, ENDED, HIDDEN] });
const EVENT_ROUTE = "GET /api/events/lisbon-jazz-night";

function tier(name: string) {
  return screen.getByRole("listitem", { name });
}

beforeEach(() => sessionStorage.clear());

describe("event detail page", () => {
  it("shows the event, its facts and every ticket type with its price and state", async () => {
    mockApi({ [EVENT_ROUTE]: () => json(event) });
    renderAt("/events/lisbon-jazz-night");

    expect(await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" })).toBeInTheDocument();
    // 20:00 UTC is 21:00 in Lisbon in June; the zone is named.
    expect(screen.getByText(/14.*2030.*(21:00|9:00)/)).toHaveAttribute("datetime", "2030-06-14T20:00:00Z");
    expect(screen.getByText(/\(Europe\/Lisbon\)/)).toBeInTheDocument();
    expect(screen.getByText("Casa Azul")).toBeInTheDocument();
    expect(screen.getByText("Lisbon, Portugal")).toBeInTheDocument();
    expect(screen.getByText(/Full refund if you cancel at least 2 days before the event starts/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Add to calendar" })).toHaveAttribute("href", "/api/events/lisbon-jazz-night/calendar.ics");
    // The sanitized description is rendered as HTML.
    expect(screen.getByRole("heading", { name: "Line-up" })).toBeInTheDocument();
    expect(screen.getByText("Lena Holm Trio").tagName).toBe("STRONG");

    expect(within(tier("General admission")).getByText("€25.00")).toBeInTheDocument();

    const vip = tier("VIP table");
    expect(within(vip).getByText("€80.00")).toHaveClass("line-through");
    expect(within(vip).getByText(/€60\.00/)).toBeInTheDocument();
    expect(within(vip).getByText(/price rises on/i)).toHaveTextContent(/1 May 2030|May 1, 2030/);
    expect(within(vip).getByText("Few left: 4 remaining")).toBeInTheDocument();
    expect(within(vip).getByText("Minimum 2 per order")).toBeInTheDocument();

    const soldOut = tier("Early bird");
    expect(within(soldOut).getByText("Sold out")).toBeInTheDocument();
    expect(within(soldOut).getByRole("button", { name: "Add one Early bird" })).toBeDisabled();
    expect(within(soldOut).getByLabelText("Number of Early bird tickets")).toBeDisabled();

    expect(within(tier("Door ticket")).getByText(/On sale from .*14 Jun 2030|On sale from .*Jun 14, 2030/)).toBeInTheDocument();
    expect(within(tier("Door ticket")).getByRole("button", { name: "Add one Door ticket" })).toBeDisabled();
    expect(within(tier("Student")).getByText("Sales ended")).toBeInTheDocument();
    expect(screen.queryByText("Crew")).not.toBeInTheDocument();

    expect(screen.getByRole("button", { name: "Select tickets" })).toBeDisabled();
  });

  it("steps quantities within the order limits and keeps a live total", async () => {
    mockApi({ [EVENT_ROUTE]: () => json(event) });
    renderAt("/events/lisbon-jazz-night");
    await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" });
    const user = userEvent.setup();
    const total = () => screen.getByText("Total").nextElementSibling;

    const vip = tier("VIP table");
    const vipInput = within(vip).getByLabelText("Number of VIP table tickets");
    const addVip = within(vip).getByRole("button", { name: "Add one VIP table" });
    const removeVip = within(vip).getByRole("button", { name: "Remove one VIP table" });
    expect(removeVip).toHaveAttribute("aria-disabled", "true");

    // At least 2 per order: + from 0 jumps to 2.
    await user.click(addVip);
    expect(vipInput).toHaveValue(2);
    expect(total()).toHaveTextContent("€120.00");
    await user.click(addVip);
    await user.click(addVip);
    expect(vipInput).toHaveValue(4);
    // Max 4 (and only 4 left): + does nothing more.
    expect(addVip).toHaveAttribute("aria-disabled", "true");
    await user.click(addVip);
    expect(vipInput).toHaveValue(4);

    await user.click(within(tier("General admission")).getByRole("button", { name: "Add one General admission" }));
    expect(total()).toHaveTextContent("€265.00");
    expect(screen.getByRole("button", { name: "Book 5 tickets" })).toBeEnabled();

    // − from the minimum goes back to 0; typing a value above the limit is clamped.
    await user.click(removeVip);
    await user.click(removeVip);
    await user.click(removeVip);
    expect(vipInput).toHaveValue(0);
    await user.clear(vipInput);
    await user.type(vipInput, "9");
    await user.tab();
    expect(vipInput).toHaveValue(4);
    expect(total()).toHaveTextContent("€265.00");
  });

  it("checks a coupon at once and shows what it takes off", async () => {
    const api = mockApi({
      [EVENT_ROUTE]: () => json(event),
      "GET /api/coupons/JAZZ20": () => json(makeCoupon()),
      "GET /api/coupons/OTHER10": () => json(makeCoupon({ code: "OTHER10", event_id: "6f1c2a4e-0000-4000-8000-00000000ffff" })),
      "GET /api/coupons/NOPE": () => problem(404, { code: "coupon_not_found", detail: "This coupon code is not valid." }),
      "GET /api/coupons/BIG50": () => json(makeCoupon({ code: "BIG50", kind: "fixed", amount: 500, currency: "EUR", min_purchase_minor: 10000 })),
    });
    renderAt("/events/lisbon-jazz-night", signedIn(makeUser()));
    await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" });
    const user = userEvent.setup();
    await user.click(within(tier("General admission")).getByRole("button", { name: "Add one General admission" }));
    await user.click(within(tier("General admission")).getByRole("button", { name: "Add one General admission" }));

    const field = screen.getByLabelText("Discount code");
    await user.type(field, "nope");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(await screen.findByText("We don't recognise this code. Check the spelling.")).toBeInTheDocument();
    expect(field).toHaveAttribute("aria-invalid", "true");

    await user.clear(field);
    await user.type(field, "other10");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(await screen.findByText("This code is for a different event.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Remove code OTHER10" }));

    await user.type(screen.getByLabelText("Discount code"), "big50");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(await screen.findByText(/Spend €100\.00 or more to use this code \(add €50\.00\)/)).toBeInTheDocument();
    expect(screen.queryByText(/Discount/)).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Remove code BIG50" }));

    await user.type(screen.getByLabelText("Discount code"), "jazz20");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    expect(await screen.findByText(/: 20% off/)).toBeInTheDocument();
    expect(screen.getByText("Discount (JAZZ20)").nextElementSibling).toHaveTextContent("−€10.00");
    expect(screen.getByText("Total").nextElementSibling).toHaveTextContent("€40.00");
    expect(api.calls("GET /api/coupons/JAZZ20")[0]!.headers.get("Authorization")).toBe("Bearer access-1");
  });

  it("books with an Idempotency-Key, reuses it on a retry and goes to checkout", async () => {
    let attempts = 0;
    const api = mockApi({
      [EVENT_ROUTE]: () => json(event),
      [`GET /api/events/${EVENT_ID}`]: () => json(event),
      "GET /api/coupons/JAZZ20": () => json(makeCoupon()),
      "POST /api/bookings": () => {
        attempts += 1;
        if (attempts === 1) throw new TypeError("Failed to fetch");
        return json(makeBooking({ discount_minor: 1000, total_minor: 4000, coupon_code: "JAZZ20" }), 201);
      },
      [`GET /api/bookings/${BOOKING_ID}`]: () => json(makeBooking()),
      [`POST /api/bookings/${BOOKING_ID}/payment`]: () => json({}, 201),
    });
    const { router } = renderAt("/events/lisbon-jazz-night", signedIn(makeUser()));
    await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" });
    const user = userEvent.setup();
    await user.click(within(tier("General admission")).getByRole("button", { name: "Add one General admission" }));
    await user.click(within(tier("General admission")).getByRole("button", { name: "Add one General admission" }));
    await user.type(screen.getByLabelText("Discount code"), "JAZZ20");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    await screen.findByText("Discount (JAZZ20)");

    await user.click(screen.getByRole("button", { name: "Book 2 tickets" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("We couldn't reach Boxoffice");
    await waitFor(() => expect(alert).toHaveFocus());

    await user.click(screen.getByRole("button", { name: "Book 2 tickets" }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/checkout/${BOOKING_ID}`));

    const [first, second] = api.calls("POST /api/bookings");
    const key = first!.headers.get("Idempotency-Key");
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(second!.headers.get("Idempotency-Key")).toBe(key);
    expect(second!.headers.get("Authorization")).toBe("Bearer access-1");
    expect(await bodyOf(second!)).toEqual({
      event_id: EVENT_ID,
      items: [{ ticket_type_id: GA.id, quantity: 2 }],
      coupon_code: "JAZZ20",
    });
  });

  it("a changed order gets a new Idempotency-Key", async () => {
    const api = mockApi({
      [EVENT_ROUTE]: () => json(event),
      [`GET /api/events/${EVENT_ID}`]: () => json(event),
      "POST /api/bookings": [
        () => problem(409, { code: "insufficient_inventory", detail: "Only 3 VIP table ticket(s) left." }),
        () => json(makeBooking(), 201),
      ],
    });
    renderAt("/events/lisbon-jazz-night", signedIn(makeUser()));
    await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" });
    const user = userEvent.setup();
    const addGa = within(tier("General admission")).getByRole("button", { name: "Add one General admission" });
    await user.click(addGa);
    await user.click(screen.getByRole("button", { name: "Book 1 ticket" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Only 3 VIP table ticket(s) left. Lower the quantity and try again.");

    await user.click(addGa);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Book 2 tickets" }));
    await waitFor(() => expect(api.calls("POST /api/bookings")).toHaveLength(2));
    const [first, second] = api.calls("POST /api/bookings");
    expect(second!.headers.get("Idempotency-Key")).not.toBe(first!.headers.get("Idempotency-Key"));
  });

  it("explains sold out (and refreshes availability) and unverified emails", async () => {
    const api = mockApi({
      [EVENT_ROUTE]: () => json(event),
      [`GET /api/events/${EVENT_ID}`]: () => json(event),
      "POST /api/bookings": [
        () => problem(409, { code: "sold_out", detail: "General admission is sold out." }),
        () => problem(403, { code: "email_not_verified", detail: "Confirm your email address before booking paid tickets." }),
      ],
    });
    renderAt("/events/lisbon-jazz-night", signedIn(makeUser({ email_verified: false })));
    await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" });
    const user = userEvent.setup();
    await user.click(within(tier("General admission")).getByRole("button", { name: "Add one General admission" }));
    await user.click(screen.getByRole("button", { name: "Book 1 ticket" }));

    const soldOut = await screen.findByRole("alert");
    expect(soldOut).toHaveTextContent("Sold out");
    expect(soldOut).toHaveTextContent("General admission is sold out. We've updated what's still available.");
    // The event is fetched again so the badges tell the truth.
    await waitFor(() => expect(api.calls(EVENT_ROUTE).length + api.calls(`GET /api/events/${EVENT_ID}`).length).toBeGreaterThan(1));

    await user.click(screen.getByRole("button", { name: "Book 1 ticket" }));
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("Confirm your email first"));
    expect(screen.getByRole("link", { name: "Go to your account to confirm your email" })).toHaveAttribute("href", "/account");
  });

  it("shows coupon problems from the booking next to the code field", async () => {
    mockApi({
      [EVENT_ROUTE]: () => json(event),
      [`GET /api/events/${EVENT_ID}`]: () => json(event),
      "GET /api/coupons/JAZZ20": () => json(makeCoupon()),
      "POST /api/bookings": () => problem(409, { code: "coupon_exhausted", detail: "This coupon has been used up." }),
    });
    renderAt("/events/lisbon-jazz-night", signedIn(makeUser()));
    await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" });
    const user = userEvent.setup();
    await user.click(within(tier("General admission")).getByRole("button", { name: "Add one General admission" }));
    await user.type(screen.getByLabelText("Discount code"), "JAZZ20");
    await user.click(screen.getByRole("button", { name: "Apply" }));
    await screen.findByText("Discount (JAZZ20)");
    await user.click(screen.getByRole("button", { name: "Book 1 ticket" }));

    const couponBox = (await screen.findByText("This code has been used up.")).closest("[role=status]");
    expect(couponBox).toHaveTextContent("Code JAZZ20");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("sends visitors to sign in and brings their tickets back", async () => {
    mockApi({ [EVENT_ROUTE]: () => json(event), "POST /api/auth/refresh": () => problem(401, { code: "invalid_refresh_token" }) });
    const { router, unmount } = renderAt("/events/lisbon-jazz-night");
    await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" });
    const user = userEvent.setup();
    expect(screen.getByText("You'll be asked to sign in to use a code.")).toBeInTheDocument();
    await user.click(within(tier("VIP table")).getByRole("button", { name: "Add one VIP table" }));
    await user.click(screen.getByRole("button", { name: "Book 2 tickets" }));

    await waitFor(() => expect(router.state.location.pathname).toBe("/login"));
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent("/events/lisbon-jazz-night")}`);
    unmount();

    // Signed in now, back on the event: the selection is still there.
    mockApi({ [EVENT_ROUTE]: () => json(event) });
    renderAt("/events/lisbon-jazz-night", signedIn(makeUser()));
    await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" });
    expect(within(tier("VIP table")).getByLabelText("Number of VIP table tickets")).toHaveValue(2);
  });

  it("says so when the event does not exist", async () => {
    mockApi({ "GET /api/events/nope": () => problem(404, { code: "event_not_found", detail: "No such event." }) });
    renderAt("/events/nope");
    expect(await screen.findByRole("heading", { level: 1, name: "Event not found" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Browse events" })).toHaveAttribute("href", "/");
  });

  it("explains a cancelled event and offers no booking", async () => {
    mockApi({
      [EVENT_ROUTE]: () =>
        json(makeEventRead({ status: "cancelled", cancelled_reason: "The band is ill.", ticket_types: [makeTicketType({ sales_status: "ended" })] })),
    });
    renderAt("/events/lisbon-jazz-night");
    expect(await screen.findByText("This event was cancelled", { selector: "p" })).toBeInTheDocument();
    expect(screen.getByText("The band is ill.")).toBeInTheDocument();
    expect(within(tier("General admission")).getByRole("button", { name: "Add one General admission" })).toBeDisabled();
  });
});
