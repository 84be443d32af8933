import { describe, expect, it } from "vitest";
import { DOOR_EVENT_ID, makeDoorTicket, OTHER_EVENT_ID } from "./fixtures";
import { failed, lookedUp } from "./outcome";
import { RecentCodes } from "./recentCodes";

describe("RecentCodes", () => {
  it("suppresses a handled code while it keeps being seen, and lets it through after 3 s out of view", () => {
    let now = 0;
    const recent = new RecentCodes(3_000, () => now);
    expect(recent.isRepeat("A")).toBe(false);
    recent.remember("A");
    now = 2_000;
    expect(recent.isRepeat("A")).toBe(true);
    now = 4_500; // 2.5 s after the last sighting: still the same visit
    expect(recent.isRepeat("A")).toBe(true);
    now = 7_600; // out of view for 3.1 s
    expect(recent.isRepeat("A")).toBe(false);
  });

  it("never suppresses a code it did not handle", () => {
    const recent = new RecentCodes(3_000, () => 0);
    recent.remember("A");
    expect(recent.isRepeat("B")).toBe(false);
    expect(recent.isRepeat("B")).toBe(false);
  });
});

describe("outcomes", () => {
  it("is honest about time-outs: the check-in may have happened", () => {
    const outcome = failed({ status: "TIMEOUT_ERROR", error: "timeout" }, "checkin");
    expect(outcome.tone).toBe("unknown");
    expect(outcome.detail).toMatch(/don't know if this ticket was checked in/);
  });

  it("asks to sign in again on a 401 that survived the refresh", () => {
    expect(failed({ status: 401, data: { title: "Unauthorized", status: 401, code: "not_authenticated" } }, "checkin")).toMatchObject({
      tone: "unknown",
      headline: "Signed out",
    });
  });

  it("flags a looked-up ticket for another event or a void one", () => {
    expect(lookedUp(makeDoorTicket({ event_id: OTHER_EVENT_ID, event_title: "Porto Rock" }), DOOR_EVENT_ID)).toMatchObject({
      tone: "refused",
      headline: "Wrong event",
      detail: "This ticket is for another event: Porto Rock.",
    });
    expect(lookedUp(makeDoorTicket({ status: "void" }), DOOR_EVENT_ID)).toMatchObject({ tone: "refused", headline: "Ticket void" });
  });
});
