import { describe, expect, it } from "vitest";
import { makeCoupon, makeEventRead, makeTicketType } from "../bookings/fixtures";
import { clampQuantities, evaluateCoupon, linesOf, maxSelectable } from "./pricing";

const ga = makeTicketType();
const vip = makeTicketType({ id: "70000000-0000-4000-8000-000000000002", name: "VIP", price_minor: 3333 });
const event = makeEventRead({ ticket_types: [ga, vip] });

describe("ticket limits", () => {
  it("allows at most the smaller of the order limit and what is left, and nothing when not on sale", () => {
    expect(maxSelectable(makeTicketType({ max_per_order: 6, remaining: 3 }))).toBe(3);
    expect(maxSelectable(makeTicketType({ max_per_order: 6, remaining: 30 }))).toBe(6);
    expect(maxSelectable(makeTicketType({ min_per_order: 4, remaining: 3 }))).toBe(0);
    expect(maxSelectable(makeTicketType({ sales_status: "scheduled" }))).toBe(0);
  });

  it("drops or trims quantities the event no longer allows", () => {
    const soldOut = makeTicketType({ ...vip, remaining: 0, sales_status: "sold_out" });
    const fewer = makeTicketType({ ...ga, remaining: 2 });
    expect(clampQuantities([fewer, soldOut], { [ga.id]: 5, [vip.id]: 1 })).toEqual({ [ga.id]: 2 });
  });
});

describe("coupon preview", () => {
  it("rounds a percentage like the server and limits it to the ticket types it covers", () => {
    const lines = linesOf([ga, vip], { [ga.id]: 1, [vip.id]: 1 });
    const all = evaluateCoupon(makeCoupon({ amount: 15 }), event, lines);
    // 15% of 58.33 = 8.7495 -> 8.75 (half up, in minor units)
    expect(all).toMatchObject({ kind: "applied", discountMinor: 875, summary: "15% off" });

    const vipOnly = evaluateCoupon(makeCoupon({ amount: 50, ticket_type_ids: [vip.id] }), event, lines);
    expect(vipOnly).toMatchObject({ kind: "applied", discountMinor: 1667, summary: "50% off VIP tickets" });
  });

  it("never takes off more than the tickets cost and checks the currency", () => {
    const lines = linesOf([ga], { [ga.id]: 1 });
    expect(evaluateCoupon(makeCoupon({ kind: "fixed", amount: 10_000, currency: "EUR" }), event, lines)).toMatchObject({
      kind: "applied",
      discountMinor: 2500,
    });
    expect(evaluateCoupon(makeCoupon({ kind: "fixed", amount: 500, currency: "USD" }), event, lines)).toEqual({
      kind: "invalid",
      message: "This code is in USD; these tickets are priced in EUR.",
    });
  });

  it("explains expired codes and codes for tickets not in the order", () => {
    const lines = linesOf([ga], { [ga.id]: 2 });
    expect(
      evaluateCoupon(makeCoupon({ available: false, valid_until: "2020-01-01T00:00:00Z" }), event, lines),
    ).toEqual({ kind: "invalid", message: "This code has expired." });
    expect(evaluateCoupon(makeCoupon({ ticket_type_ids: [vip.id] }), event, lines)).toMatchObject({
      kind: "waiting",
      message: "This code only applies to VIP tickets.",
    });
  });
});
