import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { bodyOf, json, makeUser, mockApi, problem, renderAt, signedIn } from "../auth/testing";
import { EVENT_ID, makeEventRead, makeTicketType, TT_ID } from "./fixtures";

// Whole-app renders of a long form: slower than the default 5 s on a busy machine.
vi.setConfig({ testTimeout: 30_000 });

const organizer = makeUser({ id: "0b6f7c1e-0000-4000-8000-0000000000bb", full_name: "Olga Organizer", role: "organizer" });
const EVENT_PATH = `/api/events/${EVENT_ID}`;

/** The error text tied to an input through aria-describedby. */
function descriptionOf(input: HTMLElement): string {
  return (input.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .map((id) => document.getElementById(id)?.textContent ?? "")
    .join(" ");
}

describe("event editor: create", () => {
  it("puts the server's 422 field errors next to their fields", async () => {
    const api = mockApi({
      "POST /api/events": () =>
        problem(422, {
          code: "validation_error",
          title: "Invalid request",
          detail: "starts_at: ...",
          errors: [
            { field: "starts_at", message: "2030-03-31T01:30 does not exist in Europe/Lisbon: the clocks skip it at a daylight-saving change" },
            { field: "tags.1", message: "String should match pattern" },
            { field: "latitude", message: "give both latitude and longitude" },
          ],
        }),
    });
    renderAt("/organizer/events/new", signedIn(organizer));

    await userEvent.type(await screen.findByLabelText(/^Title/), "Spring Gala");
    await userEvent.type(screen.getByLabelText("Tags"), "gala, bad tag!");
    fireEvent.change(screen.getByLabelText("Timezone"), { target: { value: "Europe/Lisbon" } });
    fireEvent.change(screen.getByLabelText(/^Starts/), { target: { value: "2030-03-31T01:30" } });
    fireEvent.change(screen.getByLabelText(/^Ends/), { target: { value: "2030-03-31T05:00" } });
    await userEvent.click(screen.getByRole("button", { name: "Create draft" }));

    const starts = screen.getByLabelText(/^Starts/);
    await waitFor(() => expect(starts).toHaveAttribute("aria-invalid", "true"));
    expect(descriptionOf(starts)).toMatch(/does not exist in Europe\/Lisbon/);
    expect(descriptionOf(screen.getByLabelText("Tags"))).toMatch(/String should match pattern/);
    // Unknown fields land in the summary, named readably.
    const summary = screen.getByRole("alert");
    expect(summary).toHaveTextContent("Some fields need your attention.");
    expect(summary).toHaveTextContent("Latitude: Give both latitude and longitude");
    // Focus goes to the first field with a problem.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText("Tags")));

    const body = (await bodyOf(api.calls("POST /api/events")[0]!)) as Record<string, unknown>;
    expect(body).toMatchObject({
      title: "Spring Gala",
      timezone: "Europe/Lisbon",
      starts_at: "2030-03-31T01:30:00",
      ends_at: "2030-03-31T05:00:00",
      tags: ["gala", "bad tag!"],
      refund_until_hours: 48,
    });
  });

  it("checks required fields before sending", async () => {
    const api = mockApi({});
    renderAt("/organizer/events/new", signedIn(organizer));
    await userEvent.click(await screen.findByRole("button", { name: "Create draft" }));
    const title = screen.getByLabelText(/^Title/);
    expect(title).toHaveAttribute("aria-invalid", "true");
    expect(descriptionOf(title)).toContain("Give the event a title.");
    expect(api.calls("POST /api/events")).toHaveLength(0);
  });

  it("creates the draft and opens it for ticket types", async () => {
    const created = makeEventRead({ status: "draft", title: "Spring Gala", ticket_types: [] });
    mockApi({
      "POST /api/events": () => json(created, 201, { ETag: '"1"' }),
      [`GET ${EVENT_PATH}`]: () => json(created, 200, { ETag: '"1"' }),
    });
    const { router } = renderAt("/organizer/events/new", signedIn(organizer));
    await userEvent.type(await screen.findByLabelText(/^Title/), "Spring Gala");
    await userEvent.click(screen.getByRole("button", { name: "Create draft" }));

    await waitFor(() => expect(router.state.location.pathname).toBe(`/organizer/events/${EVENT_ID}/edit`));
    expect(await screen.findByText(/Draft created/)).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Ticket types" })).toBeInTheDocument();
  });
});

describe("event editor: edit", () => {
  it("sends If-Match and explains a 412 conflict with a Reload button", async () => {
    const mine = makeEventRead();
    const theirs = makeEventRead({ title: "Lisbon Jazz Night (moved)", version: 4 });
    const api = mockApi({
      [`GET ${EVENT_PATH}`]: [() => json(mine, 200, { ETag: '"3"' }), () => json(theirs, 200, { ETag: '"4"' })],
      [`PUT ${EVENT_PATH}`]: () =>
        problem(412, { code: "precondition_failed", title: "Precondition failed", detail: "This event was changed since you loaded it." }),
    });
    renderAt(`/organizer/events/${EVENT_ID}/edit`, signedIn(organizer));

    const title = await screen.findByLabelText(/^Title/);
    expect(title).toHaveValue("Lisbon Jazz Night");
    await userEvent.clear(title);
    await userEvent.type(title, "Jazz by the River");
    expect(screen.getByText("You have unsaved changes.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));

    const warning = await screen.findByText("Someone else changed this event — reload to see their changes");
    const put = api.calls(`PUT ${EVENT_PATH}`)[0]!;
    expect(put.headers.get("If-Match")).toBe('"3"');
    expect(await bodyOf(put)).toEqual({ title: "Jazz by the River" });

    const alert = warning.closest("[role=status]") as HTMLElement;
    await userEvent.click(within(alert).getByRole("button", { name: "Reload" }));
    await waitFor(() => expect(screen.getByLabelText(/^Title/)).toHaveValue("Lisbon Jazz Night (moved)"));
    expect(screen.queryByText("Someone else changed this event — reload to see their changes")).not.toBeInTheDocument();
  });

  it("saves only what changed and reports it politely", async () => {
    const event = makeEventRead();
    const api = mockApi({
      [`GET ${EVENT_PATH}`]: () => json(event, 200, { ETag: '"3"' }),
      [`PUT ${EVENT_PATH}`]: () => json({ ...event, city: "Porto", version: 4 }, 200, { ETag: '"4"' }),
    });
    renderAt(`/organizer/events/${EVENT_ID}/edit`, signedIn(organizer));
    const city = await screen.findByLabelText("City");
    await userEvent.clear(city);
    await userEvent.type(city, "Porto");
    await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText(/All changes saved at/)).toBeInTheDocument();
    expect(await bodyOf(api.calls(`PUT ${EVENT_PATH}`)[0]!)).toEqual({ city: "Porto" });
  });

  it("lists what is missing when publishing is refused", async () => {
    const draft = makeEventRead({ status: "draft", ticket_types: [], venue_name: null });
    mockApi({
      [`GET ${EVENT_PATH}`]: () => json(draft, 200, { ETag: '"3"' }),
      [`POST ${EVENT_PATH}/publish`]: () =>
        problem(409, {
          code: "event_incomplete",
          title: "Conflict",
          detail: "The event is not ready to publish.",
          errors: [
            { field: "ticket_types", message: "add at least one visible ticket type" },
            { field: "venue_name", message: "give a venue or an online link" },
          ],
        }),
    });
    renderAt(`/organizer/events/${EVENT_ID}/edit`, signedIn(organizer));
    await userEvent.click(await screen.findByRole("button", { name: "Publish" }));
    const alert = await screen.findByText("The event isn't ready to publish yet:");
    const box = alert.closest("[role=alert]") as HTMLElement;
    expect(box).toHaveTextContent("Ticket types: add at least one visible ticket type");
    expect(box).toHaveTextContent("Venue: give a venue or an online link");
  });
});

describe("ticket types editor", () => {
  it("adds a ticket type with an early-bird rule, in minor units and with the event's ETag", async () => {
    const event = makeEventRead({ ticket_types: [] });
    const created = makeTicketType({ id: TT_ID, name: "Early", sold: 0, held: 0 });
    const api = mockApi({
      [`GET ${EVENT_PATH}`]: [() => json(event, 200, { ETag: '"3"' }), () => json({ ...event, ticket_types: [created] }, 200, { ETag: '"4"' })],
      [`POST ${EVENT_PATH}/ticket-types`]: () => json(created, 201, { ETag: '"4"' }),
    });
    renderAt(`/organizer/events/${EVENT_ID}/edit`, signedIn(organizer));

    await userEvent.click(await screen.findByRole("button", { name: "Add ticket type" }));
    const form = screen.getByRole("form", { name: "New ticket type" });
    await userEvent.type(within(form).getByLabelText(/^Name/), "Early");
    await userEvent.type(within(form).getByLabelText(/^Price \(EUR\)/), "25.50");
    await userEvent.clear(within(form).getByLabelText(/^Capacity/));
    await userEvent.type(within(form).getByLabelText(/^Capacity/), "50");
    await userEvent.click(within(form).getByRole("button", { name: /Early bird/ }));
    fireEvent.change(within(form).getByLabelText(/^Until/), { target: { value: "2030-05-01T23:59" } });
    const percent = within(form).getByLabelText("Percent off");
    await userEvent.clear(percent);
    await userEvent.type(percent, "15");
    await userEvent.click(within(form).getByRole("button", { name: "Add ticket type" }));

    expect(await screen.findByText("Early was added.")).toBeInTheDocument();
    const post = api.calls(`POST ${EVENT_PATH}/ticket-types`)[0]!;
    expect(post.headers.get("If-Match")).toBe('"3"');
    expect(await bodyOf(post)).toMatchObject({
      name: "Early",
      price_minor: 2550,
      currency: "EUR",
      capacity: 50,
      sort_order: 0,
      pricing_rules: [{ kind: "time", until: "2030-05-01T23:59:00", percent_off: 15 }],
    });
  });

  it("maps a rule's 422 errors to the rule's inputs", async () => {
    const event = makeEventRead({ ticket_types: [] });
    mockApi({
      [`GET ${EVENT_PATH}`]: () => json(event, 200, { ETag: '"3"' }),
      [`POST ${EVENT_PATH}/ticket-types`]: () =>
        problem(422, {
          code: "validation_error",
          title: "Invalid request",
          errors: [
            { field: "pricing_rules.0.until", message: "2030-03-31T01:30 does not exist in Europe/Lisbon: the clocks skip it" },
            { field: "pricing_rules.1.demand.steps.0.sold_share", message: "Input should be less than or equal to 1" },
          ],
        }),
    });
    renderAt(`/organizer/events/${EVENT_ID}/edit`, signedIn(organizer));
    await userEvent.click(await screen.findByRole("button", { name: "Add ticket type" }));
    const form = screen.getByRole("form", { name: "New ticket type" });
    await userEvent.type(within(form).getByLabelText(/^Name/), "Standard");
    await userEvent.type(within(form).getByLabelText(/^Price \(EUR\)/), "30");
    await userEvent.click(within(form).getByRole("button", { name: /Early bird/ }));
    fireEvent.change(within(form).getByLabelText(/^Until/), { target: { value: "2030-03-31T01:30" } });
    await userEvent.click(within(form).getByRole("button", { name: /Demand pricing/ }));
    const step = within(form).getByLabelText("Step 1: price (EUR)");
    await userEvent.type(step, "40");
    await userEvent.click(within(form).getByRole("button", { name: "Add ticket type" }));

    const until = within(form).getByLabelText(/^Until/);
    await waitFor(() => expect(until).toHaveAttribute("aria-invalid", "true"));
    expect(descriptionOf(until)).toMatch(/does not exist in Europe\/Lisbon/);
    expect(descriptionOf(within(form).getByLabelText("Step 1: sold (%)"))).toContain("Use at most 100 %.");
  });

  it("refuses to delete a ticket type with sales and offers to hide it", async () => {
    const event = makeEventRead();
    const api = mockApi({
      [`GET ${EVENT_PATH}`]: () => json(event, 200, { ETag: '"3"' }),
      [`PUT ${EVENT_PATH}/ticket-types/${TT_ID}`]: () => json(makeTicketType({ hidden: true }), 200, { ETag: '"4"' }),
    });
    renderAt(`/organizer/events/${EVENT_ID}/edit`, signedIn(organizer));
    const card = await screen.findByRole("article", { name: "General admission" });
    expect(card).toHaveTextContent("10 sold · 2 held");
    await userEvent.click(within(card).getByRole("button", { name: "Delete General admission" }));
    expect(await screen.findByText(/can't be deleted\. Hide it instead/)).toBeInTheDocument();
    expect(api.requests.filter((r) => r.method === "DELETE")).toHaveLength(0);
    await userEvent.click(screen.getByRole("button", { name: "Hide it instead" }));
    expect(await screen.findByText(/is hidden/)).toBeInTheDocument();
    expect(await bodyOf(api.calls(`PUT ${EVENT_PATH}/ticket-types/${TT_ID}`)[0]!)).toEqual({ hidden: true });
  });
});
