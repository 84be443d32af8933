import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { bodyOf, json, makeUser, mockApi, problem, renderAt, signedIn } from "../auth/testing";
import { CODE_A, CODE_B, DOOR_EVENT_ID, makeCheckIn, makeDoor, makeDoorTicket, OTHER_EVENT_ID } from "./fixtures";

/** A stand-in for the camera and decoder: tests decide what the camera "sees" and how starting it goes. */
const camera = vi.hoisted(() => ({
  see: null as ((text: string) => void) | null,
  startError: null as unknown,
  starts: [] as Array<{ deviceId: string }>,
  stops: 0,
  devices: [] as Array<{ deviceId: string; label: string }>,
}));

vi.mock("./cameraScanner", () => ({
  startQrScanner({ deviceId, onDecode }: { deviceId: string; onDecode: (text: string) => void }) {
    camera.starts.push({ deviceId });
    if (camera.startError) return Promise.reject(camera.startError);
    camera.see = onDecode;
    return Promise.resolve({
      deviceId: deviceId || "back",
      stop: () => {
        camera.stops += 1;
      },
    });
  },
  listCameras: () => Promise.resolve(camera.devices),
}));

const DOORS = "GET /api/tickets/doors";
const SUMMARY = `GET /api/events/${DOOR_EVENT_ID}/checkins/summary`;
const VALIDATE = "POST /api/tickets/validate";
const LOOKUP = "GET /api/tickets/lookup";
const URL_ = `/door/${DOOR_EVENT_ID}`;

const summary = (checked_in: number, sold = 100) => () => json({ event_id: DOOR_EVENT_ID, checked_in, sold });
const staff = () => signedIn(makeUser({ full_name: "Sam Staff" }));

let vibrate: ReturnType<typeof vi.fn>;

beforeEach(() => {
  camera.see = null;
  camera.startError = null;
  camera.starts = [];
  camera.stops = 0;
  camera.devices = [];
  Object.defineProperty(navigator, "mediaDevices", { value: { getUserMedia: vi.fn() }, configurable: true });
  vibrate = vi.fn(() => true);
  Object.defineProperty(navigator, "vibrate", { value: vibrate, configurable: true });
});

afterEach(() => {
  delete (navigator as { mediaDevices?: unknown }).mediaDevices;
  delete (navigator as { vibrate?: unknown }).vibrate;
});

/** Waits until the camera is running, then shows it `text`. */
async function cameraSees(text: string) {
  await waitFor(() => expect(camera.see).not.toBeNull());
  act(() => camera.see!(text));
}

function resultPanel() {
  return screen.findByTestId("scan-result");
}

describe("door scanner", () => {
  it("admits a ticket typed into the manual field: big green panel, vibration and an announcement", async () => {
    const api = mockApi({
      [DOORS]: () => json([makeDoor()]),
      [SUMMARY]: summary(10),
      [VALIDATE]: () => json(makeCheckIn()),
    });
    renderAt(URL_, staff());
    const user = userEvent.setup();

    expect(await screen.findByRole("heading", { level: 1, name: "Lisbon Jazz Night" })).toBeInTheDocument();
    await user.type(await screen.findByLabelText("Ticket code"), CODE_A);
    await user.click(screen.getByRole("button", { name: "Check in" }));

    const panel = await resultPanel();
    expect(panel).toHaveAttribute("data-tone", "admitted");
    expect(within(panel).getByText("Admitted")).toBeInTheDocument();
    expect(within(panel).getByText("Ana Silva")).toBeInTheDocument();
    expect(within(panel).getByText("General admission")).toBeInTheDocument();

    expect(await bodyOf(api.calls(VALIDATE)[0]!)).toEqual({ code: CODE_A, event_id: DOOR_EVENT_ID });
    expect(api.calls(VALIDATE)[0]!.headers.get("Authorization")).toBe("Bearer access-1");
    expect(vibrate).toHaveBeenCalledWith([120]);
    const announcer = screen.getByTestId("door-announcer");
    expect(announcer).toHaveAttribute("aria-live", "assertive");
    expect(announcer).toHaveTextContent("Admitted. Ana Silva, General admission.");
    // Ready for the next code.
    expect(screen.getByLabelText("Ticket code")).toHaveValue("");
    // The camera asked for the back camera (no particular device).
    expect(camera.starts[0]).toEqual({ deviceId: "" });
  });

  it("shows a red panel with the server's words when the ticket was already used", async () => {
    mockApi({
      [DOORS]: () => json([makeDoor()]),
      [SUMMARY]: summary(10),
      [VALIDATE]: () =>
        problem(409, { code: "already_checked_in", title: "Entry refused", detail: "Already checked in at 21:04 by Olivia Organizer." }),
    });
    renderAt(URL_, staff());

    await cameraSees(CODE_A);

    const panel = await resultPanel();
    expect(panel).toHaveAttribute("data-tone", "refused");
    expect(within(panel).getByText("Already checked in")).toBeInTheDocument();
    expect(within(panel).getByText("Already checked in at 21:04 by Olivia Organizer.")).toBeInTheDocument();
    expect(screen.getByTestId("door-announcer")).toHaveTextContent(
      "Already checked in. Already checked in at 21:04 by Olivia Organizer.",
    );
    expect(vibrate).toHaveBeenCalledWith([90, 60, 90, 60, 250]);
  });

  it.each([
    ["ticket_void", 409, "This ticket was refunded and is not valid.", "Ticket void"],
    ["wrong_event", 409, "This ticket is for another event: Porto Rock.", "Wrong event"],
    ["invalid_ticket", 400, "This is not a valid Boxoffice ticket.", "Not a valid ticket"],
    ["not_door_staff", 403, "You are not on the door list for this event.", "Not on the door list"],
  ])("refuses %s with its reason", async (code, status, detail, headline) => {
    mockApi({
      [DOORS]: () => json([makeDoor()]),
      [SUMMARY]: summary(10),
      [VALIDATE]: () => problem(status, { code, title: "Refused", detail }),
    });
    renderAt(URL_, staff());

    await cameraSees(CODE_A);

    const panel = await resultPanel();
    expect(panel).toHaveAttribute("data-tone", "refused");
    expect(within(panel).getByText(headline)).toBeInTheDocument();
    expect(within(panel).getByText(new RegExp(detail.replace(/[.:]/g, "\\$&")))).toBeInTheDocument();
  });

  it("checks a code the camera keeps seeing only once, and goes back to scanning by itself", async () => {
    const api = mockApi({
      [DOORS]: () => json([makeDoor()]),
      [SUMMARY]: summary(10),
      [VALIDATE]: () => json(makeCheckIn()),
    });
    renderAt(URL_, staff());

    await cameraSees(CODE_A);
    act(() => camera.see!(CODE_A));
    await resultPanel();
    act(() => camera.see!(CODE_A));
    act(() => camera.see!(CODE_A));
    expect(api.calls(VALIDATE)).toHaveLength(1);

    // The panel closes after ~2.5 s and leaves a one-line summary of the last scan.
    await waitFor(() => expect(screen.queryByTestId("scan-result")).not.toBeInTheDocument(), { timeout: 4000 });
    expect(screen.getByRole("region", { name: "Last scan" })).toHaveTextContent("Last scan: Admitted — Ana Silva");

    // Still in view (within 3 s of the last sighting): not sent again.
    act(() => camera.see!(CODE_A));
    expect(api.calls(VALIDATE)).toHaveLength(1);

    // The next person's ticket is checked.
    act(() => camera.see!(CODE_B));
    await resultPanel();
    expect(api.calls(VALIDATE)).toHaveLength(2);
    expect(await bodyOf(api.calls(VALIDATE)[1]!)).toEqual({ code: CODE_B, event_id: DOOR_EVENT_ID });
  });

  it("ignores other codes while an answer is on screen; 'Scan next' closes it at once", async () => {
    const api = mockApi({
      [DOORS]: () => json([makeDoor()]),
      [SUMMARY]: summary(10),
      [VALIDATE]: () => json(makeCheckIn()),
    });
    renderAt(URL_, staff());
    const user = userEvent.setup();

    await cameraSees(CODE_A);
    await resultPanel();
    act(() => camera.see!(CODE_B));
    expect(api.calls(VALIDATE)).toHaveLength(1);

    await user.click(screen.getByRole("button", { name: "Scan next" }));
    expect(screen.queryByTestId("scan-result")).not.toBeInTheDocument();
    expect(screen.getByRole("region", { name: "Scanner" })).toHaveFocus();

    act(() => camera.see!(CODE_B));
    await resultPanel();
    expect(api.calls(VALIDATE)).toHaveLength(2);
  });

  it("updates the checked-in counter after an admission and every 10 seconds", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    try {
      const api = mockApi({
        [DOORS]: () => json([makeDoor()]),
        [SUMMARY]: [summary(10), summary(11), summary(12)],
        [VALIDATE]: () => json(makeCheckIn({}, { checked_in: 11, sold: 100 })),
      });
      renderAt(URL_, staff());

      const counter = await screen.findByRole("region", { name: "Check-ins" });
      await waitFor(() => expect(within(counter).getByTestId("checked-in")).toHaveTextContent("10"));
      expect(within(counter).getByTestId("sold")).toHaveTextContent("100");
      expect(within(counter).getByRole("progressbar", { name: "Tickets checked in" })).toHaveAttribute(
        "aria-valuetext",
        "10 of 100 checked in (10%)",
      );

      await cameraSees(CODE_A);
      await waitFor(() => expect(within(counter).getByTestId("checked-in")).toHaveTextContent("11"));
      await waitFor(() => expect(api.calls(SUMMARY)).toHaveLength(2));

      await act(async () => {
        await vi.advanceTimersByTimeAsync(10_000);
      });
      await waitFor(() => expect(within(counter).getByTestId("checked-in")).toHaveTextContent("12"));
      expect(api.calls(SUMMARY)).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("explains a blocked camera and keeps manual entry working", async () => {
    camera.startError = new DOMException("Permission denied", "NotAllowedError");
    const api = mockApi({
      [DOORS]: () => json([makeDoor()]),
      [SUMMARY]: summary(10),
      [VALIDATE]: () => json(makeCheckIn()),
    });
    renderAt(URL_, staff());
    const user = userEvent.setup();

    expect(await screen.findByText(/Camera access is blocked/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Try the camera again" })).toBeInTheDocument();

    await user.type(screen.getByLabelText("Ticket code"), CODE_A);
    await user.click(screen.getByRole("button", { name: "Check in" }));
    expect(within(await resultPanel()).getByText("Admitted")).toBeInTheDocument();
    expect(api.calls(VALIDATE)).toHaveLength(1);

    // Permission granted later: trying again starts the camera.
    camera.startError = null;
    await user.click(await screen.findByRole("button", { name: "Scan next" }));
    await user.click(screen.getByRole("button", { name: "Try the camera again" }));
    await waitFor(() => expect(camera.see).not.toBeNull());
    expect(screen.queryByText(/Camera access is blocked/)).not.toBeInTheDocument();
  });

  it("says when there is no camera, or the page is not on https", async () => {
    camera.startError = new DOMException("Requested device not found", "NotFoundError");
    mockApi({ [DOORS]: () => json([makeDoor()]), [SUMMARY]: summary(10) });
    const first = renderAt(URL_, staff());
    expect(await screen.findByText(/No camera was found on this device/)).toBeInTheDocument();
    first.unmount();

    delete (navigator as { mediaDevices?: unknown }).mediaDevices;
    // Plain http on a LAN address: browsers hide the camera API altogether.
    Object.defineProperty(window, "isSecureContext", { value: false, configurable: true });
    try {
      renderAt(URL_, staff());
      expect(await screen.findByText(/only works when Boxoffice is opened over a secure \(https\) connection/)).toBeInTheDocument();
      expect(screen.getByLabelText("Ticket code")).toBeEnabled();
    } finally {
      delete (window as { isSecureContext?: boolean }).isSecureContext;
    }
  });

  it("offers a camera picker when there are several cameras", async () => {
    camera.devices = [
      { deviceId: "front", label: "Front camera" },
      { deviceId: "back", label: "Back camera" },
    ];
    mockApi({ [DOORS]: () => json([makeDoor()]), [SUMMARY]: summary(10) });
    renderAt(URL_, staff());
    const user = userEvent.setup();

    const picker = await screen.findByRole("combobox", { name: "Camera" });
    await user.selectOptions(picker, "front");
    await waitFor(() => expect(camera.starts.at(-1)).toEqual({ deviceId: "front" }));
    expect(camera.stops).toBeGreaterThanOrEqual(1);
  });

  it("says clearly when the network is down: not checked in, scan again", async () => {
    mockApi({ [DOORS]: () => json([makeDoor()]), [SUMMARY]: summary(10) });
    renderAt(URL_, staff());
    await screen.findByRole("region", { name: "Check-ins" });

    const failing = vi.fn(() => Promise.reject(new TypeError("Failed to fetch")));
    vi.stubGlobal("fetch", failing);
    await cameraSees(CODE_A);

    const panel = await resultPanel();
    expect(panel).toHaveAttribute("data-tone", "unknown");
    expect(within(panel).getByText("No connection")).toBeInTheDocument();
    expect(within(panel).getByText(/This ticket was NOT checked in/)).toBeInTheDocument();
  });

  it("shows an offline banner while the browser has no network", async () => {
    mockApi({ [DOORS]: () => json([makeDoor()]), [SUMMARY]: summary(10) });
    const onLine = vi.spyOn(navigator, "onLine", "get").mockReturnValue(false);
    renderAt(URL_, staff());
    expect(await screen.findByText("No internet connection")).toBeInTheDocument();
    onLine.mockReturnValue(true);
    act(() => void window.dispatchEvent(new Event("online")));
    await waitFor(() => expect(screen.queryByText("No internet connection")).not.toBeInTheDocument());
  });

  it("looks a ticket up without checking it in", async () => {
    const api = mockApi({
      [DOORS]: () => json([makeDoor()]),
      [SUMMARY]: summary(10),
      [LOOKUP]: [
        () => json(makeDoorTicket()),
        () =>
          json(
            makeDoorTicket({ status: "checked_in", checked_in_at: "2030-06-14T20:04:00Z", checked_in_by_name: "Olivia Organizer" }),
          ),
      ],
    });
    renderAt(URL_, staff());
    const user = userEvent.setup();

    await user.click(await screen.findByRole("radio", { name: "Look up" }));
    await user.type(screen.getByLabelText("Ticket code"), CODE_A);
    await user.click(screen.getByRole("button", { name: "Look up" }));

    const panel = await resultPanel();
    expect(panel).toHaveAttribute("data-tone", "info");
    expect(within(panel).getByText("Valid ticket")).toBeInTheDocument();
    expect(within(panel).getByText("Ana Silva")).toBeInTheDocument();
    expect(new URL(api.calls(LOOKUP)[0]!.url).searchParams.get("code")).toBe(CODE_A);
    expect(api.calls(VALIDATE)).toHaveLength(0);

    // A look-up stays on screen until it has been read.
    await user.click(within(panel).getByRole("button", { name: "Done" }));
    await user.type(screen.getByLabelText("Ticket code"), CODE_A);
    await user.click(screen.getByRole("button", { name: "Look up" }));
    const second = await resultPanel();
    expect(second).toHaveAttribute("data-tone", "refused");
    expect(within(second).getByText("Checked in at 21:04 by Olivia Organizer.")).toBeInTheDocument();
  });

  it("refuses codes that can't be tickets without asking the server", async () => {
    const api = mockApi({ [DOORS]: () => json([makeDoor()]), [SUMMARY]: summary(10) });
    renderAt(URL_, staff());
    const user = userEvent.setup();

    await cameraSees("WIFI:S:x");
    expect(within(await resultPanel()).getByText("This QR code is not a Boxoffice ticket.")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Check in" }));
    expect(screen.getByLabelText("Ticket code")).toHaveAccessibleDescription(/Enter the ticket code/);
    expect(api.calls(VALIDATE)).toHaveLength(0);
  });

  it("tells people who are not on the door list, without starting the camera", async () => {
    mockApi({
      [DOORS]: () => json([]),
      [SUMMARY]: () => problem(403, { code: "not_door_staff", detail: "You are not on the door list for this event." }),
    });
    renderAt(URL_, staff());
    expect(await screen.findByText("You're not on the door list for this event")).toBeInTheDocument();
    expect(camera.starts).toHaveLength(0);
  });
});

describe("door list", () => {
  it("lists the events I may scan, with my role", async () => {
    mockApi({
      [DOORS]: () =>
        json([makeDoor(), makeDoor({ id: OTHER_EVENT_ID, title: "Porto Rock", role: "organizer", venue_name: null })]),
    });
    renderAt("/door", staff());

    const link = await screen.findByRole("link", { name: /Lisbon Jazz Night/ });
    expect(link).toHaveAttribute("href", `/door/${DOOR_EVENT_ID}`);
    expect(link).toHaveTextContent("Casa Azul");
    expect(link).toHaveTextContent("Door staff");
    expect(screen.getByRole("link", { name: /Porto Rock/ })).toHaveTextContent("Organizer");
    expect(screen.getByRole("link", { name: "Door check" })).toHaveAttribute("aria-current", "page");
  });

  it("explains how to get on a door list when there is none", async () => {
    mockApi({ [DOORS]: () => json([]) });
    renderAt("/door", staff());
    expect(await screen.findByText("No events to scan")).toBeInTheDocument();
    expect(screen.getByText(/Ask the organizer to add you to the door list/)).toBeInTheDocument();
  });

  it("sends anonymous visitors to sign in first", async () => {
    mockApi({ "POST /api/auth/refresh": () => problem(401, { code: "invalid_refresh_token" }) });
    const { router } = renderAt("/door");
    await waitFor(() => expect(router.state.location.pathname).toBe("/login"));
  });
});
