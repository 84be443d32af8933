import { describe, expect, it } from "vitest";
import { fromZonedInput, toZonedInput } from "./datetime";
import { cleanMessage, normalizeField, placeFieldErrors } from "./errors";
import { emptyEventValues, valuesToUpdate } from "./eventForm";
import { minorToInput, parseMoney } from "./money";
import { draftsToRules, newRule } from "./ticketTypeForm";
import { dashboardOrder } from "./OrganizerDashboard";
import { makeMyEvent } from "./fixtures";

describe("money inputs", () => {
  it("turns major units into minor units by the currency's exponent", () => {
    expect(parseMoney("12.5", "EUR")).toBe(1250);
    expect(parseMoney("12,50", "EUR")).toBe(1250);
    expect(parseMoney("0", "EUR")).toBe(0);
    expect(parseMoney("1500", "JPY")).toBe(1500);
    expect(parseMoney("1.234", "KWD")).toBe(1234);
    expect(parseMoney("12.345", "EUR")).toBeNull();
    expect(parseMoney("-1", "EUR")).toBeNull();
    expect(parseMoney("abc", "EUR")).toBeNull();
    expect(minorToInput(1250, "EUR")).toBe("12.50");
    expect(minorToInput(1500, "JPY")).toBe("1500");
  });
});

describe("event-local times", () => {
  it("shows instants as wall-clock time in the event's timezone and sends them without offset", () => {
    expect(toZonedInput("2030-06-14T19:00:00Z", "Europe/Lisbon")).toBe("2030-06-14T20:00");
    expect(toZonedInput("2030-06-14T19:00:00Z", "Asia/Tokyo")).toBe("2030-06-15T04:00");
    expect(toZonedInput("2030-06-14T00:30:00Z", "UTC")).toBe("2030-06-14T00:30");
    expect(fromZonedInput("2030-06-14T20:00")).toBe("2030-06-14T20:00:00");
    expect(fromZonedInput("")).toBeNull();
  });

  it("sends start and end again when the timezone changes", () => {
    const before = { ...emptyEventValues(), timezone: "Europe/Lisbon" };
    expect(valuesToUpdate(before, { ...before, timezone: "Europe/Berlin" })).toEqual({
      timezone: "Europe/Berlin",
      starts_at: `${before.starts_at}:00`,
      ends_at: `${before.ends_at}:00`,
    });
    expect(valuesToUpdate(before, { ...before, venue_name: "" })).toEqual({});
    expect(valuesToUpdate(before, { ...before, refund_policy: "none" })).toEqual({ refund_until_hours: null });
  });
});

describe("problem field names", () => {
  it("drops the rule kind pydantic adds to union errors", () => {
    expect(normalizeField("pricing_rules.0.time.until")).toBe("pricing_rules.0.until");
    expect(normalizeField("pricing_rules.1.demand.steps.0.sold_share")).toBe("pricing_rules.1.steps.0.sold_share");
    expect(normalizeField("pricing_rules.2.bounds")).toBe("pricing_rules.2");
    expect(normalizeField("starts_at")).toBe("starts_at");
    expect(cleanMessage("Value error, give exactly one of price_minor or percent_off")).toBe("Give exactly one of price_minor or percent_off");
  });

  it("places errors on known fields (by prefix) and lists the rest", () => {
    const { placed, rest } = placeFieldErrors({ "tags.2": ["bad"], body: ["whole form"], slug: ["taken"] }, ["tags"], { slug: "Web address" });
    expect(placed).toEqual({ tags: ["bad"] });
    expect(rest).toEqual(["Form: whole form", "Web address: taken"]);
  });
});

describe("pricing rule drafts", () => {
  it("converts shares from percent and prices to minor units", () => {
    const demand = newRule("demand");
    if (demand.kind !== "demand") throw new Error("kind");
    demand.steps = [
      { key: "a", share: "50", price: "30" },
      { key: "b", share: "90", price: "45.5" },
    ];
    const bounds = { ...newRule("bounds"), floor: "", ceiling: "60" } as ReturnType<typeof newRule>;
    const { rules, errors } = draftsToRules([demand, bounds], "EUR");
    expect(errors).toEqual({});
    expect(rules).toEqual([
      { kind: "demand", steps: [{ sold_share: 0.5, price_minor: 3000 }, { sold_share: 0.9, price_minor: 4550 }] },
      { kind: "bounds", ceiling_minor: 6000 },
    ]);
  });

  it("reports unreadable inputs under the API's field names", () => {
    const time = { ...newRule("time"), until: "", mode: "price", price: "x" } as ReturnType<typeof newRule>;
    expect(draftsToRules([time], "EUR").errors).toEqual({
      "pricing_rules.0.until": ["Choose when this price ends."],
      "pricing_rules.0.price_minor": ["Enter an amount, e.g. 12.50."],
    });
  });
});

describe("dashboard order", () => {
  it("puts the next event first and past events last", () => {
    const now = Date.parse("2030-03-01T00:00:00Z");
    const past = makeMyEvent({ id: "p", starts_at: "2030-01-01T19:00:00Z", ends_at: "2030-01-01T22:00:00Z" });
    const later = makeMyEvent({ id: "l", starts_at: "2030-09-01T19:00:00Z", ends_at: "2030-09-01T22:00:00Z" });
    const next = makeMyEvent({ id: "n", starts_at: "2030-04-01T19:00:00Z", ends_at: "2030-04-01T22:00:00Z" });
    expect(dashboardOrder([past, later, next], now).map((e) => e.id)).toEqual(["n", "l", "p"]);
  });
});
