import { useId, useState, type FormEvent } from "react";
import { LoadingButton } from "../../components/LoadingButton";
import type { CouponPublic } from "../bookings/bookingsApi";
import { useLazyCouponQuery } from "../bookings/bookingsApi";
import { describeCheckoutError } from "../checkout/problems";
import type { CouponState } from "./pricing";

const CODE_PATTERN = /^[A-Za-z0-9_-]{3,40}$/;

/**
 * "Have a code?": looks the code up at once (GET /api/coupons/{code}) and says what it does for
 * this event, or why it can't be used, right under the field.
 */
export function CouponField({
  signedIn,
  applied,
  state,
  serverError,
  onApply,
  onRemove,
  onSignIn,
  initialCode = "",
}: {
  signedIn: boolean;
  applied: CouponPublic | null;
  state: CouponState | null;
  /** A coupon problem from the booking attempt (e.g. used up meanwhile). */
  serverError: string | null;
  onApply: (coupon: CouponPublic) => void;
  onRemove: () => void;
  /** Anonymous visitors: go sign in and come back with the code. */
  onSignIn: (code: string) => void;
  initialCode?: string;
}) {
  const inputId = useId();
  const messageId = useId();
  const [code, setCode] = useState(initialCode);
  const [error, setError] = useState<string | null>(null);
  const [lookup, { isFetching }] = useLazyCouponQuery();

  async function apply(event: FormEvent) {
    event.preventDefault();
    const wanted = code.trim().toUpperCase();
    setError(null);
    if (!wanted) {
      setError("Enter a code.");
      return;
    }
    if (!CODE_PATTERN.test(wanted)) {
      setError("Codes are 3 to 40 letters, digits, dashes or underscores.");
      return;
    }
    if (!signedIn) {
      onSignIn(wanted);
      return;
    }
    const result = await lookup(wanted);
    if (result.data) {
      onApply(result.data);
      return;
    }
    const problem = describeCheckoutError(result.error);
    setError(problem.status === 404 ? "We don't recognise this code. Check the spelling." : problem.message);
  }

  if (applied) {
    const tone =
      state?.kind === "applied"
        ? "border-emerald-200 bg-emerald-50 text-emerald-900"
        : state?.kind === "waiting"
          ? "border-amber-300 bg-amber-50 text-amber-950"
          : "border-red-200 bg-red-50 text-red-900";
    return (
      <div className={`rounded-xl border px-3 py-2.5 text-sm ${tone}`} role="status" aria-live="polite">
        <div className="flex items-start justify-between gap-2">
          <p className="min-w-0 break-words">
            <span className="font-semibold">Code {applied.code}</span>
            {state && state.kind !== "invalid" ? <>: {state.summary}</> : null}
          </p>
          <button
            type="button"
            onClick={() => {
              onRemove();
              setCode("");
              setError(null);
            }}
            aria-label={`Remove code ${applied.code}`}
            className="shrink-0 rounded-md px-1.5 py-0.5 text-sm font-semibold underline underline-offset-2 hover:bg-white/60"
          >
            Remove
          </button>
        </div>
        {state?.kind === "invalid" ? <p className="mt-1">{state.message}</p> : null}
        {state?.kind === "waiting" ? <p className="mt-1">{state.message}</p> : null}
        {state?.kind === "applied" && state.note ? <p className="mt-1">{state.note}</p> : null}
        {serverError ? <p className="mt-1 font-medium text-red-800">{serverError}</p> : null}
      </div>
    );
  }

  const shownError = error ?? serverError;
  return (
    <form onSubmit={(e) => void apply(e)} noValidate>
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
        Discount code
      </label>
      <div className="mt-1.5 flex gap-2">
        <input
          id={inputId}
          value={code}
          onChange={(e) => {
            setCode(e.target.value);
            if (error) setError(null);
          }}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
          placeholder="e.g. SUMMER20"
          aria-invalid={shownError ? true : undefined}
          aria-describedby={messageId}
          className={`block w-full min-w-0 rounded-lg border-0 bg-white px-3 py-2 text-slate-900 uppercase shadow-sm ring-1 ring-inset placeholder:text-slate-500 placeholder:normal-case focus:ring-2 focus:outline-none ${
            shownError ? "ring-red-500 focus:ring-red-600" : "ring-slate-300 focus:ring-brand-600"
          }`}
        />
        <LoadingButton type="submit" variant="secondary" loading={isFetching} loadingText="Checking…" className="shrink-0">
          Apply
        </LoadingButton>
      </div>
      <div id={messageId} aria-live="polite" className="text-sm">
        {shownError ? <p className="mt-1.5 text-red-700">{shownError}</p> : null}
        {!shownError && !signedIn ? <p className="mt-1.5 text-slate-600">You'll be asked to sign in to use a code.</p> : null}
      </div>
    </form>
  );
}
