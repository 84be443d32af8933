import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { Link, Navigate, useNavigate, useParams, useSearchParams } from "react-router";
import { useAppDispatch } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { ErrorState } from "../../components/ErrorState";
import { LiveIndicator } from "../../components/LiveIndicator";
import { LoadingButton } from "../../components/LoadingButton";
import { PageSpinner, Spinner } from "../../components/Spinner";
import { useFocusOnNavigation } from "../../components/useFocusOnNavigation";
import { usePageTitle } from "../../components/usePageTitle";
import { formatMoney } from "../../lib/format";
import { useBookingStatusLive } from "../../realtime/hooks";
import { describeError } from "../auth/problems";
import {
  bookingsApi,
  useConfirmBookingMutation,
  useGetBookingQuery,
  useStartPaymentMutation,
  useSubmitMockCardMutation,
  type BookingRead,
} from "../bookings/bookingsApi";
import { BookingSummary } from "../bookings/BookingSummary";
import { formatInZone, formatLocal } from "../events/datetime";
import { DemoCardForm } from "./DemoCardForm";
import { HoldCountdown, useCountdown } from "./HoldCountdown";
import { describeCheckoutError, type CheckoutProblem } from "./problems";

// Stripe's code is only downloaded for Stripe checkouts.
const StripePayment = lazy(() => import("./StripePayment"));

/** How often to ask again while the provider still says "processing". */
const PROCESSING_RETRIES = 5;
const PROCESSING_RETRY_MS = 1500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function CheckoutPage() {
  const { bookingId = "" } = useParams();
  usePageTitle("Checkout");
  const query = useGetBookingQuery(bookingId, { refetchOnMountOrArgChange: true });

  if (query.isLoading) return <PageSpinner label="Loading your order…" />;
  if (!query.data) {
    const info = describeError(query.error);
    return (
      <div className="mx-auto max-w-2xl px-4 py-16 sm:px-6">
        {info.status === 404 ? (
          <ErrorState title="Booking not found" message="We couldn't find this booking. It may belong to another account." />
        ) : (
          <ErrorState message={info.message} onRetry={() => void query.refetch()} retrying={query.isFetching} />
        )}
      </div>
    );
  }
  return <Checkout booking={query.data} refetch={() => void query.refetch()} />;
}

type Phase = "idle" | "card" | "processing";

function Checkout({ booking, refetch: refetchBooking }: { booking: BookingRead; refetch: () => void }) {
  const navigate = useNavigate();
  const dispatch = useAppDispatch();
  const refetchRef = useRef(refetchBooking);
  refetchRef.current = refetchBooking;
  const refetch = useCallback(() => refetchRef.current(), []);
  const [params, setParams] = useSearchParams();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  useFocusOnNavigation(headingRef);

  const [phase, setPhase] = useState<Phase>("idle");
  /** Paid on this page just now (vs. opening the checkout of a booking confirmed long ago). */
  const paidHere = useRef(false);
  const [problem, setProblem] = useState<CheckoutProblem | null>(null);
  const [heldOut, setHeldOut] = useState(false);
  const [confirmBooking] = useConfirmBookingMutation();
  const [submitMockCard] = useSubmitMockCardMutation();
  const [startPayment, payment] = useStartPaymentMutation();

  // The server says at once when the booking is confirmed (e.g. by the payment provider's
  // webhook), expires or is cancelled: show it now, then refetch the whole booking.
  const liveStatus = useBookingStatusLive(
    booking.id,
    (message) => {
      // Nothing goes back to pending: such a message is older than what we have.
      if (message.status === booking.status || message.status === "pending_payment") return;
      if (message.status === "confirmed" && booking.status === "pending_payment") paidHere.current = true;
      // (bookingsApi adds tag types, so its thunks don't type-check against the app's dispatch.)
      (dispatch as (action: unknown) => unknown)(
        bookingsApi.util.updateQueryData("getBooking", booking.id, (draft) => {
          draft.status = message.status;
        }),
      );
      refetch();
    },
    refetch,
  );

  const pending = booking.status === "pending_payment";
  const free = booking.total_minor === 0;
  const secondsLeft = useCountdown(booking.hold_expires_at);
  // Mid-payment the server decides (a late payment is refunded if the seats are gone).
  const expired = booking.status === "expired" || (pending && secondsLeft === 0 && phase === "idle") || heldOut;
  useEffect(() => {
    if (pending && secondsLeft === 0 && phase === "idle") setHeldOut(true);
  }, [pending, secondsLeft, phase]);

  const amountLabel = formatMoney(booking.total_minor, booking.currency);

  const report = useCallback(
    (found: CheckoutProblem) => {
      setProblem(found);
      if (found.refreshBooking) refetch();
      setTimeout(() => problemRef.current?.focus(), 0);
    },
    [refetch],
  );

  /** The server checks with the provider and confirms; "processing" is asked again a few times. */
  const confirm = useCallback(async () => {
    setPhase("processing");
    setProblem(null);
    paidHere.current = true;
    for (let attempt = 0; ; attempt++) {
      const result = await confirmBooking(booking.id);
      if (result.data) {
        paidHere.current = true;
        navigate(`/bookings/${booking.id}?confirmed=1`, { replace: true });
        return;
      }
      const found = describeCheckoutError(result.error);
      if (found.code === "payment_processing" && attempt < PROCESSING_RETRIES) {
        await sleep(PROCESSING_RETRY_MS);
        continue;
      }
      setPhase("idle");
      report(found);
      return;
    }
  }, [booking.id, confirmBooking, navigate, report]);

  // Start (or reuse) the provider payment as soon as the page shows a payable booking.
  const started = useRef(false);
  useEffect(() => {
    if (!pending || free || started.current) return;
    started.current = true;
    void startPayment(booking.id);
  }, [pending, free, booking.id, startPayment]);

  // Back from a payment method that had to leave the page (Stripe's return_url).
  const returned = useRef(false);
  useEffect(() => {
    const status = params.get("redirect_status");
    if (!status || returned.current || !pending) return;
    returned.current = true;
    setParams({}, { replace: true });
    if (status === "failed") {
      report(describeCheckoutError({ status: 402, data: { title: "Payment failed", status: 402, code: "payment_failed", type: "about:blank" } }));
    } else {
      void confirm();
    }
  }, [params, setParams, pending, confirm, report]);

  async function payWithDemoCard(cardNumber: string) {
    const paymentId = payment.data?.payment.id;
    if (!paymentId) return;
    setPhase("card");
    setProblem(null);
    const result = await submitMockCard({ paymentId, cardNumber });
    if (!result.data) {
      setPhase("idle");
      report(describeCheckoutError(result.error));
      return;
    }
    if (result.data.status === "failed") {
      setPhase("idle");
      report(describeCheckoutError({ status: 402, data: { title: "Payment failed", status: 402, code: "payment_failed", type: "about:blank" } }));
      return;
    }
    await confirm();
  }

  if (booking.status === "confirmed") {
    return <Navigate to={`/bookings/${booking.id}${paidHere.current ? "?confirmed=1" : ""}`} replace />;
  }

  const busyText = phase === "card" ? "Sending card details…" : "Processing payment…";
  const inactive = booking.status === "cancelled" || booking.status === "expired";

  return (
    <div className="mx-auto max-w-5xl px-4 py-8 sm:px-6 lg:px-8">
      <nav aria-label="Breadcrumb" className="mb-4 text-sm">
        <Link to={`/events/${booking.event_id}`} className="font-medium text-brand-700 hover:underline">
          ← Back to the event
        </Link>
      </nav>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 ref={headingRef} tabIndex={-1} className="text-3xl font-bold tracking-tight text-slate-900 focus:outline-none">
          Checkout
        </h1>
        {inactive || expired ? null : <LiveIndicator status={liveStatus} />}
      </div>
      <p className="mt-2 break-words text-slate-700">
        <span className="font-semibold text-slate-900">{booking.event_title}</span> ·{" "}
        <time dateTime={booking.event_starts_at}>
          {formatInZone(booking.event_starts_at, booking.event_timezone)}
        </time>
      </p>

      <div className="mt-6 grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem] lg:gap-8">
        <div className="min-w-0 space-y-5">
          {expired ? (
            <Alert
              tone="warning"
              title="Your hold expired"
              action={
                <Link
                  to={`/events/${booking.event_id}`}
                  className="inline-flex rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
                >
                  Try again
                </Link>
              }
            >
              We held your tickets for a few minutes, but the time ran out, so they went back on sale. Nothing was charged.
            </Alert>
          ) : booking.status === "cancelled" ? (
            <Alert
              tone="info"
              live={false}
              title="This booking was cancelled"
              action={
                <Link to={`/bookings/${booking.id}`} className="font-semibold underline underline-offset-2">
                  View booking
                </Link>
              }
            >
              {booking.cancel_reason ? "It was cancelled and can't be paid any more." : "It can't be paid any more."}
            </Alert>
          ) : (
            <HoldCountdown secondsLeft={secondsLeft} />
          )}

          {problem ? (
            <Alert ref={problemRef} tone="error" title={problem.title}>
              <p>{problem.message}</p>
              {problem.refreshBooking ? (
                <p className="mt-2">
                  <Link to={`/bookings/${booking.id}`} className="font-semibold underline underline-offset-2">
                    See your booking
                  </Link>
                </p>
              ) : null}
            </Alert>
          ) : null}

          <div aria-live="polite" role="status" className="empty:hidden">
            {phase === "processing" ? (
              <div className="flex items-center gap-3 rounded-2xl border border-brand-100 bg-white px-4 py-4 shadow-sm">
                <Spinner className="h-6 w-6 text-brand-600" />
                <div>
                  <p className="font-semibold text-slate-900">Processing payment…</p>
                  <p className="text-sm text-slate-600">This takes a few seconds. Please keep this page open.</p>
                </div>
              </div>
            ) : null}
          </div>

          {!expired && !inactive ? (
            <section aria-labelledby="payment-title" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
              <h2 id="payment-title" className="text-lg font-semibold text-slate-900">
                {free ? "Confirm your booking" : "Payment"}
              </h2>
              <div className="mt-4">
                {free ? (
                  <div className="space-y-4">
                    <p className="text-sm text-slate-700">These tickets are free. Confirm to get them.</p>
                    <LoadingButton
                      className="w-full py-3 text-base"
                      loading={phase !== "idle"}
                      loadingText="Confirming…"
                      onClick={() => void confirm()}
                    >
                      Confirm booking
                    </LoadingButton>
                  </div>
                ) : payment.isLoading || (!payment.data && !payment.error) ? (
                  <div role="status" className="flex items-center gap-2 text-sm text-slate-600">
                    <Spinner className="h-4 w-4 text-brand-600" /> Preparing secure payment…
                  </div>
                ) : payment.error ? (
                  <PaymentStartError
                    problem={describeCheckoutError(payment.error)}
                    retrying={payment.isLoading}
                    onRetry={() => void startPayment(booking.id)}
                    onGone={refetch}
                  />
                ) : payment.data?.demo_mode ? (
                  <DemoCardForm
                    amountLabel={amountLabel}
                    declineCard={payment.data.decline_card ?? null}
                    busy={phase !== "idle"}
                    busyText={busyText}
                    onPay={(card) => void payWithDemoCard(card)}
                  />
                ) : payment.data?.provider === "stripe" && payment.data.client_secret ? (
                  <Suspense
                    fallback={
                      <div role="status" className="flex items-center gap-2 text-sm text-slate-600">
                        <Spinner className="h-4 w-4 text-brand-600" /> Loading secure card form…
                      </div>
                    }
                  >
                    <StripePayment
                      bookingId={booking.id}
                      clientSecret={payment.data.client_secret}
                      amountLabel={amountLabel}
                      busy={phase !== "idle"}
                      busyText={busyText}
                      onPaid={() => void confirm()}
                    />
                  </Suspense>
                ) : (
                  <Alert tone="error" title="Payment unavailable">
                    This payment method isn't supported by the web app. Please contact the organizer.
                  </Alert>
                )}
              </div>
            </section>
          ) : null}
        </div>

        <aside aria-labelledby="summary-title" className="min-w-0">
          <div className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm lg:sticky lg:top-24">
            <h2 id="summary-title" className="text-lg font-semibold text-slate-900">
              Order summary
            </h2>
            <p className="mt-1 text-xs text-slate-600">
              Booked {formatLocal(booking.created_at)} · Ref.{" "}
              <span className="font-mono">{booking.id.slice(0, 8).toUpperCase()}</span>
            </p>
            <div className="mt-4">
              <BookingSummary booking={booking} />
            </div>
          </div>
        </aside>
      </div>
    </div>
  );
}

function PaymentStartError({
  problem,
  retrying,
  onRetry,
  onGone,
}: {
  problem: CheckoutProblem;
  retrying: boolean;
  onRetry: () => void;
  onGone: () => void;
}) {
  // The booking moved on (expired, cancelled, already paid): show its real state.
  useEffect(() => {
    if (problem.code === "invalid_transition" || problem.code === "nothing_to_pay") onGone();
  }, [problem.code, onGone]);
  return (
    <Alert
      tone="error"
      title="We couldn't start the payment"
      action={
        <LoadingButton variant="secondary" size="sm" loading={retrying} onClick={onRetry}>
          Try again
        </LoadingButton>
      }
    >
      {problem.message}
    </Alert>
  );
}
