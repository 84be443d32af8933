import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { LoadingButton } from "../../components/LoadingButton";
import { SelectField } from "../../components/SelectField";
import { Spinner } from "../../components/Spinner";
import { TextField } from "../../components/TextField";
import { useLookupTicketMutation, useValidateTicketMutation } from "./doorApi";
import {
  admitted,
  codeShapeProblem,
  failed,
  lookedUp,
  notATicket,
  VIBRATION,
  type Outcome,
  type OutcomeTone,
  type ScanMode,
} from "./outcome";
import { RecentCodes } from "./recentCodes";
import { ResultPanel } from "./ResultPanel";
import { useQrScanner } from "./useQrScanner";

/** How long a check-in answer covers the camera before scanning resumes. */
export const RESULT_VISIBLE_MS = 2_500;

const MODES: { value: ScanMode; label: string; hint: string }[] = [
  { value: "checkin", label: "Check in", hint: "Scanning admits the ticket." },
  { value: "lookup", label: "Look up", hint: "Scanning only shows the ticket's state; nobody is checked in." },
];

const LAST_DOT: Record<OutcomeTone, string> = {
  admitted: "bg-emerald-600",
  refused: "bg-red-600",
  unknown: "bg-amber-500",
  info: "bg-brand-600",
};

type Source = "camera" | "manual";

/**
 * The door: camera and manual entry feed one queue-of-one. While a code is being checked or its
 * answer is on screen, other camera sightings are ignored (the camera sees a code many times a
 * second), and a handled code is not sent again until it has been out of view for a while.
 */
export function Scanner({ eventId }: { eventId: string }) {
  const [mode, setMode] = useState<ScanMode>("checkin");
  const [shown, setShown] = useState<Outcome | null>(null);
  const [last, setLast] = useState<{ outcome: Outcome; at: Date } | null>(null);
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [cameraOn, setCameraOn] = useState(true);
  const [deviceId, setDeviceId] = useState("");
  const [manualCode, setManualCode] = useState("");
  const [manualError, setManualError] = useState<string | undefined>();

  const [validate] = useValidateTicketMutation();
  const [lookup] = useLookupTicketMutation();

  // The camera callback outlives renders: it reads the current state through refs.
  const modeRef = useRef(mode);
  modeRef.current = mode;
  const busyRef = useRef(false);
  const shownRef = useRef(false);
  const recent = useRef(new RecentCodes());
  const closeTimer = useRef<ReturnType<typeof setTimeout>>();
  const announcements = useRef(0);
  const regionRef = useRef<HTMLDivElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const modeHintId = useId();

  const dismiss = useCallback(() => {
    clearTimeout(closeTimer.current);
    // Keep keyboard focus on the page when the panel (and its button) goes away.
    if (regionRef.current?.contains(document.activeElement)) regionRef.current.focus({ preventScroll: true });
    shownRef.current = false;
    setShown(null);
  }, []);

  useEffect(() => () => clearTimeout(closeTimer.current), []);

  const show = useCallback(
    (outcome: Outcome, scanMode: ScanMode) => {
      clearTimeout(closeTimer.current);
      shownRef.current = true;
      setShown(outcome);
      setLast({ outcome, at: new Date() });
      // A changed text node is what makes screen readers speak; alternate an invisible mark so
      // the same sentence twice in a row is announced twice.
      announcements.current += 1;
      setAnnouncement(outcome.announcement + (announcements.current % 2 ? "" : "\u200b"));
      try {
        if (typeof navigator.vibrate === "function") navigator.vibrate(VIBRATION[outcome.tone]);
      } catch {
        // Vibration is a nicety; some browsers throw without a user gesture.
      }
      // Check-ins flow: back to scanning by itself. A look-up stays until it has been read.
      if (scanMode === "checkin") closeTimer.current = setTimeout(dismiss, RESULT_VISIBLE_MS);
    },
    [dismiss],
  );

  const check = useCallback(
    async (raw: string, source: Source): Promise<Outcome | null> => {
      const code = raw.trim();
      if (source === "camera") {
        if (recent.current.isRepeat(code)) return null;
        if (busyRef.current || shownRef.current) return null;
      } else if (busyRef.current) {
        return null;
      }
      recent.current.remember(code);
      const scanMode = modeRef.current;
      if (codeShapeProblem(code)) {
        const outcome = notATicket();
        show(outcome, scanMode);
        return outcome;
      }

      busyRef.current = true;
      setBusy(true);
      let outcome: Outcome;
      try {
        if (scanMode === "checkin") {
          const answer = await validate({ code, event_id: eventId });
          outcome = "data" in answer && answer.data ? admitted(answer.data) : failed(answer.error, "checkin");
        } else {
          const answer = await lookup(code);
          outcome = "data" in answer && answer.data ? lookedUp(answer.data, eventId) : failed(answer.error, "lookup");
        }
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
      show(outcome, scanMode);
      // Typed codes: the answer is above the form, maybe scrolled away behind the keyboard.
      if (source === "manual") regionRef.current?.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
      return outcome;
    },
    [eventId, lookup, show, validate],
  );

  const { camera, devices, activeDeviceId, retry } = useQrScanner({
    videoRef,
    enabled: cameraOn,
    deviceId,
    onDecode: (text) => void check(text, "camera"),
  });

  async function onManualSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = manualCode.trim();
    if (code.length === 0) {
      setManualError("Enter the ticket code.");
      return;
    }
    if (codeShapeProblem(code)) {
      setManualError("That isn't a complete ticket code. Check it and try again.");
      return;
    }
    setManualError(undefined);
    const outcome = await check(code, "manual");
    // A definite answer: ready for the next one. No answer: keep the code to try again.
    if (outcome && outcome.tone !== "unknown") setManualCode("");
  }

  function changeMode(next: ScanMode) {
    setMode(next);
    dismiss();
  }

  const live = camera.status === "on" || camera.status === "starting";
  const currentMode = MODES.find((m) => m.value === mode)!;

  return (
    <div className="space-y-4">
      <p aria-live="assertive" aria-atomic="true" className="sr-only" data-testid="door-announcer">
        {announcement}
      </p>

      <fieldset>
        <legend className="sr-only">What scanning does</legend>
        <div className="grid grid-cols-2 gap-1 rounded-xl bg-slate-200 p-1">
          {MODES.map((m) => (
            <label
              key={m.value}
              className={`flex h-12 cursor-pointer items-center justify-center rounded-lg text-base font-semibold transition-colors has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-brand-600 ${
                mode === m.value ? "bg-white text-slate-900 shadow-sm" : "text-slate-700 hover:bg-slate-100"
              }`}
            >
              <input
                type="radio"
                name="door-mode"
                value={m.value}
                checked={mode === m.value}
                onChange={() => changeMode(m.value)}
                aria-describedby={modeHintId}
                className="sr-only"
              />
              {m.label}
            </label>
          ))}
        </div>
        <p id={modeHintId} className="mt-1.5 text-sm text-slate-600">
          {currentMode.hint}
        </p>
      </fieldset>

      <div
        ref={regionRef}
        tabIndex={-1}
        role="region"
        aria-label="Scanner"
        // A grid so the answer panel (the one in-flow child) fills the box and can grow past it.
        className={`relative grid w-full scroll-mt-20 overflow-hidden rounded-2xl bg-slate-950 focus:outline-none ${
          live ? "aspect-square sm:aspect-[4/3]" : "min-h-72"
        }`}
      >
        <video
          ref={videoRef}
          muted
          playsInline
          autoPlay
          aria-hidden="true"
          className={`absolute inset-0 h-full w-full object-cover ${camera.status === "on" ? "" : "invisible"}`}
        />

        {camera.status === "on" ? (
          <div aria-hidden="true" className="pointer-events-none absolute inset-0 flex items-center justify-center">
            <div className="relative aspect-square w-3/5 max-w-72">
              <span className="absolute top-0 left-0 h-10 w-10 rounded-tl-xl border-t-4 border-l-4 border-white" />
              <span className="absolute top-0 right-0 h-10 w-10 rounded-tr-xl border-t-4 border-r-4 border-white" />
              <span className="absolute bottom-0 left-0 h-10 w-10 rounded-bl-xl border-b-4 border-l-4 border-white" />
              <span className="absolute right-0 bottom-0 h-10 w-10 rounded-br-xl border-r-4 border-b-4 border-white" />
            </div>
            <p className="absolute inset-x-0 bottom-3 px-4 text-center text-base font-semibold text-white [text-shadow:0_1px_3px_rgb(0_0_0/0.8)]">
              Point the camera at the ticket's QR code
            </p>
          </div>
        ) : null}

        {camera.status === "starting" ? (
          <div role="status" className="absolute inset-0 flex flex-col items-center justify-center gap-3 text-white">
            <Spinner className="h-8 w-8" />
            <p className="text-base font-medium">Starting the camera…</p>
          </div>
        ) : null}

        {camera.status === "error" || camera.status === "off" ? (
          <div className="absolute inset-0 flex flex-col items-center justify-center gap-4 p-6 text-center text-white">
            <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" className="h-10 w-10 text-slate-400" aria-hidden="true">
              <path
                strokeLinecap="round"
                strokeLinejoin="round"
                d="M15.75 10.5l4.72-4.72a.75.75 0 0 1 1.28.53v11.38a.75.75 0 0 1-1.28.53l-4.72-4.72M4.5 18.75h9a2.25 2.25 0 0 0 2.25-2.25v-9a2.25 2.25 0 0 0-2.25-2.25h-9A2.25 2.25 0 0 0 2.25 7.5v9a2.25 2.25 0 0 0 2.25 2.25Z"
              />
            </svg>
            <p role={camera.status === "error" ? "alert" : "status"} className="max-w-sm text-base leading-relaxed">
              {camera.status === "error" ? camera.message : "The camera is off. Turn it on to scan, or enter ticket codes below."}
            </p>
            <button
              type="button"
              onClick={camera.status === "error" ? retry : () => setCameraOn(true)}
              className="h-12 rounded-xl bg-white px-5 text-base font-bold text-slate-900 hover:bg-slate-100"
            >
              {camera.status === "error" ? "Try the camera again" : "Turn the camera on"}
            </button>
          </div>
        ) : null}

        {busy && !shown ? (
          <div role="status" className="absolute inset-0 z-10 flex flex-col items-center justify-center gap-3 bg-slate-950/75 text-white">
            <Spinner className="h-10 w-10" />
            <p className="text-xl font-bold">{mode === "checkin" ? "Checking…" : "Looking up…"}</p>
          </div>
        ) : null}

        {shown ? (
          <ResultPanel
            outcome={shown}
            closesInMs={mode === "checkin" ? RESULT_VISIBLE_MS : null}
            dismissLabel={mode === "checkin" ? "Scan next" : "Done"}
            onDismiss={dismiss}
          />
        ) : null}
      </div>

      {camera.status === "on" || devices.length > 1 ? (
        <div className="flex flex-wrap items-end gap-2">
          {devices.length > 1 ? (
            <SelectField
              label="Camera"
              value={deviceId}
              onChange={(e) => setDeviceId(e.target.value)}
              containerClassName="min-w-0 flex-1"
              className="h-12 text-base"
            >
              <option value="">Back camera (automatic)</option>
              {devices.map((d) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label}
                  {!deviceId && d.deviceId === activeDeviceId ? " (in use)" : ""}
                </option>
              ))}
            </SelectField>
          ) : null}
          {camera.status === "on" ? (
            <button
              type="button"
              onClick={() => setCameraOn(false)}
              className="h-12 shrink-0 rounded-xl bg-white px-4 text-base font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
            >
              Turn camera off
            </button>
          ) : null}
        </div>
      ) : null}

      {last && !shown ? (
        <section aria-label="Last scan" className="flex items-start gap-3 rounded-xl border border-slate-200 bg-white px-4 py-3">
          <span className={`mt-1.5 h-3 w-3 shrink-0 rounded-full ${LAST_DOT[last.outcome.tone]}`} aria-hidden="true" />
          <div className="min-w-0 flex-1 text-sm">
            <p className="font-semibold text-slate-900">
              Last scan: {last.outcome.headline}
              {last.outcome.name ? ` — ${last.outcome.name}` : ""}
              <span className="font-normal text-slate-600">
                {" "}
                at {last.at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" })}
              </span>
            </p>
            {last.outcome.detail ? <p className="mt-0.5 break-words text-slate-700">{last.outcome.detail}</p> : null}
          </div>
        </section>
      ) : null}

      <form onSubmit={(e) => void onManualSubmit(e)} noValidate className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
        <TextField
          label="Ticket code"
          name="code"
          value={manualCode}
          onChange={(e) => {
            setManualCode(e.target.value);
            if (manualError) setManualError(undefined);
          }}
          error={manualError}
          hint="Paste the code printed under the QR, or use a handheld scanner."
          autoComplete="off"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          enterKeyHint="go"
          className="h-12 font-mono text-base"
        />
        <LoadingButton
          type="submit"
          loading={busy}
          loadingText={mode === "checkin" ? "Checking…" : "Looking up…"}
          className="mt-3 h-14 w-full text-lg"
        >
          {mode === "checkin" ? "Check in" : "Look up"}
        </LoadingButton>
      </form>
    </div>
  );
}
