import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../../app/api";
import { useAppDispatch, useAppSelector } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { ErrorState } from "../../components/ErrorState";
import { LiveIndicator } from "../../components/LiveIndicator";
import { useFocusOnNavigation } from "../../components/useFocusOnNavigation";
import { usePageTitle } from "../../components/usePageTitle";
import { formatMoney } from "../../lib/format";
import { useEventLive } from "../../realtime/hooks";
import type { Availability } from "../../realtime/messages";
import { selectAuthStatus } from "../auth/authSlice";
import { authUrl } from "../auth/navigation";
import { describeError } from "../auth/problems";
import { ensureSessionChecked } from "../auth/refresh";
import { useCreateBookingMutation, useLazyCouponQuery, type BookingCreate, type CouponPublic } from "../bookings/bookingsApi";
import { IdempotencyKeys } from "../checkout/idempotency";
import { describeCheckoutError, type CheckoutProblem } from "../checkout/problems";
import { CouponField } from "./CouponField";
import { EventInfo } from "./EventInfo";
import { useGetEventQuery, type EventRead } from "./eventsApi";
import { describeAdjustment, withAvailability } from "./live";
import { OrderSummary, totalsOf } from "./OrderSummary";
import { buyableTypes, clampQuantities, evaluateCoupon, linesOf, type Quantities } from "./pricing";
import { saveSelection, takeSelection } from "./selection";
import { TicketList } from "./TicketList";

export function EventDetailPage() {
  const { idOrSlug = "" } = useParams();
  const query = useGetEventQuery(idOrSlug, { refetchOnMountOrArgChange: 30 });
  usePageTitle(query.data?.title ?? "Event");

  if (query.isLoading) return <EventDetailSkeleton />;
  if (!query.data) {
    const info = describeError(query.error);
    if (info.status === 404) {
      return (
        <section aria-labelledby="missing-title" className="mx-auto max-w-2xl px-4 py-24 text-center sm:px-6">
          <h1 id="missing-title" className="text-3xl font-bold tracking-tight text-slate-900">
            Event not found
          </h1>
          <p className="mt-4 text-slate-600">This event doesn't exist, isn't published yet, or the link is wrong.</p>
          <Link
            to="/"
            className="mt-8 inline-flex rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
          >
            Browse events
          </Link>
        </section>
      );
    }
    return (
      <div className="mx-auto max-w-3xl px-4 py-16 sm:px-6">
        <ErrorState
          title="We couldn't load this event"
          message={info.message}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      </div>
    );
  }
  return <EventDetail event={query.data} idOrSlug={idOrSlug} />;
}

function EventDetail({ event: fetched, idOrSlug }: { event: EventRead; idOrSlug: string }) {
  const navigate = useNavigate();
  const dispatch = useAppDispatch();

  // Remaining seats, prices and sales states follow the event's room. The latest live message
  // is laid over the HTTP copy (which the server may answer from its short cache), and after each
  // refetch the page asks for fresh counters. The buyer's selection is local state: it stays.
  const [availability, setAvailability] = useState<Availability | null>(null);
  const refetchEvent = () => dispatch(api.util.invalidateTags([{ type: "Event", id: fetched.id }]));
  const live = useEventLive(fetched.status === "published" ? fetched.id : null, {
    onAvailability: setAvailability,
    onEventChanged: refetchEvent,
    onResync: refetchEvent,
  });
  const event = useMemo(() => withAvailability(fetched, availability), [fetched, availability]);
  const firstCopy = useRef(fetched);
  const { requestSnapshot } = live;
  useEffect(() => {
    if (fetched !== firstCopy.current) requestSnapshot();
  }, [fetched, requestSnapshot]);

  const authStatus = useAppSelector(selectAuthStatus);
  const signedIn = authStatus === "authenticated";
  const headingRef = useRef<HTMLHeadingElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const keys = useRef(new IdempotencyKeys());
  useFocusOnNavigation(headingRef);

  const [restored] = useState(() => takeSelection(event.id));
  const [quantities, setQuantities] = useState<Quantities>(() => restored?.quantities ?? {});
  const [coupon, setCoupon] = useState<CouponPublic | null>(null);
  const [couponError, setCouponError] = useState<string | null>(null);
  const [problem, setProblem] = useState<CheckoutProblem | null>(null);
  const [createBooking, { isLoading: booking }] = useCreateBookingMutation();
  const [lookupCoupon] = useLazyCouponQuery();

  const ticketTypes = useMemo(() => buyableTypes(event), [event]);
  const [adjusted, setAdjusted] = useState<string | null>(null);
  const quantitiesRef = useRef(quantities);
  quantitiesRef.current = quantities;
  // Availability changed under us (live, or a refetch after "sold out"): keep only what can still
  // be had, and say what changed.
  useEffect(() => {
    const current = quantitiesRef.current;
    const clamped = clampQuantities(ticketTypes, current);
    if (JSON.stringify(clamped) === JSON.stringify(current)) return;
    setQuantities(clamped);
    setAdjusted(describeAdjustment(ticketTypes, current, clamped));
  }, [ticketTypes]);

  // Back from signing in with a code typed before: look it up now.
  const restoredCode = useRef(restored?.couponCode ?? null);
  useEffect(() => {
    const code = restoredCode.current;
    if (!code || !signedIn) return;
    restoredCode.current = null;
    void lookupCoupon(code).then((result) => {
      if (result.data) setCoupon(result.data);
      else setCouponError(describeCheckoutError(result.error).message);
    });
  }, [signedIn, lookupCoupon]);

  const lines = useMemo(() => linesOf(ticketTypes, quantities), [ticketTypes, quantities]);
  const couponState = useMemo(() => (coupon ? evaluateCoupon(coupon, event, lines) : null), [coupon, event, lines]);
  const totals = totalsOf(lines, couponState?.kind === "applied" ? couponState.discountMinor : 0);

  const ended = event.status === "completed" || new Date(event.ends_at) <= new Date();
  const closedReason =
    event.status === "cancelled"
      ? "This event was cancelled."
      : ended
        ? "This event has ended."
        : event.status === "draft"
          ? "This event isn't published yet."
          : ticketTypes.length > 0 && ticketTypes.every((t) => t.sales_status === "sold_out")
            ? "This event is sold out."
            : null;
  const canBook = event.status === "published" && !ended;

  const changeQuantity = useCallback((id: string, quantity: number) => {
    setProblem(null);
    setAdjusted(null);
    setQuantities((current) => {
      const next = { ...current };
      if (quantity > 0) next[id] = quantity;
      else delete next[id];
      return next;
    });
  }, []);

  function goSignIn(couponCode: string | null) {
    saveSelection(event.id, { quantities, couponCode: couponCode ?? coupon?.code ?? null });
    navigate(authUrl("/login", `/events/${idOrSlug}`));
  }

  function showProblem(found: CheckoutProblem) {
    if (found.place === "coupon") {
      setCouponError(found.message);
      return;
    }
    setProblem(found);
    // Wait for the alert to render, then take focus to it so it is read and seen (also on phones).
    setTimeout(() => {
      alertRef.current?.focus();
      alertRef.current?.scrollIntoView?.({ block: "center", behavior: "smooth" });
    }, 0);
  }

  async function book() {
    if (lines.length === 0 || booking) return;
    setProblem(null);
    setCouponError(null);
    let status = authStatus;
    if (status === "unknown" || status === "checking") {
      const outcome = await dispatch(ensureSessionChecked());
      status = outcome.ok ? "authenticated" : "anonymous";
    }
    if (status !== "authenticated") {
      goSignIn(null);
      return;
    }
    const body: BookingCreate = {
      event_id: event.id,
      items: lines.map((l) => ({ ticket_type_id: l.ticketType.id, quantity: l.quantity })),
    };
    // A code that can't apply to this selection is not sent: the total shown is what is charged.
    if (coupon && couponState?.kind === "applied") body.coupon_code = coupon.code;
    const result = await createBooking({ body, idempotencyKey: keys.current.keyFor(body) });
    if (result.data) {
      navigate(`/checkout/${result.data.id}`);
      return;
    }
    const found = describeCheckoutError(result.error);
    if (found.code === "idempotency_key_reused") keys.current.reset();
    if (found.status === 401) {
      goSignIn(null);
      return;
    }
    showProblem(found);
  }

  const summaryVisible = useInView(summaryRef);

  return (
    <div className="pb-24 lg:pb-0">
      <EventHero event={event} />
      <div className="mx-auto grid max-w-6xl grid-cols-1 gap-8 px-4 py-8 sm:px-6 lg:grid-cols-[minmax(0,1fr)_22rem] lg:gap-10 lg:px-8">
        <div className="min-w-0 lg:col-start-1">
          <EventInfo event={event} headingRef={headingRef} />
        </div>

        <section aria-labelledby="tickets-title" className="min-w-0 lg:col-start-1">
          <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
            <h2 id="tickets-title" className="text-xl font-semibold text-slate-900">
              Tickets
            </h2>
            <LiveIndicator status={live.status} />
          </div>
          {adjusted ? (
            <Alert tone="warning" className="mb-4">
              {adjusted}
            </Alert>
          ) : null}
          <TicketList event={event} ticketTypes={ticketTypes} quantities={quantities} onChange={changeQuantity} />
        </section>

        <aside className="min-w-0 lg:col-start-2 lg:row-span-3 lg:row-start-1" aria-label="Order summary">
          <div ref={summaryRef} className="lg:sticky lg:top-24">
            <OrderSummary
              ref={alertRef}
              currency={event.currency}
              lines={lines}
              totals={totals}
              couponCode={couponState?.kind === "applied" ? (coupon?.code ?? null) : null}
              problem={problem}
              booking={booking}
              canBook={canBook}
              closedReason={closedReason}
              onBook={() => void book()}
              coupon={
                <CouponField
                  signedIn={signedIn}
                  applied={coupon}
                  state={couponState}
                  serverError={couponError}
                  initialCode={restored?.couponCode ?? ""}
                  onApply={(c) => {
                    setCouponError(null);
                    setCoupon(c);
                  }}
                  onRemove={() => {
                    setCoupon(null);
                    setCouponError(null);
                  }}
                  onSignIn={(code) => goSignIn(code)}
                />
              }
            />
          </div>
        </aside>

        {event.description_html.trim() ? (
          <section aria-labelledby="about-title" className="min-w-0 lg:col-start-1">
            <h2 id="about-title" className="text-xl font-semibold text-slate-900">
              About this event
            </h2>
            <div
              className="mt-3 max-w-prose break-words text-slate-700 [&_a]:font-medium [&_a]:text-brand-700 [&_a]:underline [&_blockquote]:border-l-4 [&_blockquote]:border-slate-200 [&_blockquote]:pl-4 [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_h1]:mt-6 [&_h1]:text-xl [&_h1]:font-semibold [&_h2]:mt-6 [&_h2]:text-lg [&_h2]:font-semibold [&_h2]:text-slate-900 [&_h3]:mt-4 [&_h3]:font-semibold [&_img]:rounded-xl [&_li]:mt-1 [&_ol]:mt-3 [&_ol]:list-decimal [&_ol]:pl-6 [&_p]:mt-3 [&_pre]:overflow-x-auto [&_strong]:font-semibold [&_strong]:text-slate-900 [&_ul]:mt-3 [&_ul]:list-disc [&_ul]:pl-6 [&>:first-child]:mt-0"
              // Rendered from Markdown and sanitized by the server (the only HTML we ever inject).
              dangerouslySetInnerHTML={{ __html: event.description_html }}
            />
          </section>
        ) : null}
      </div>

      {/* Phones: the total and Book button stay in reach while scrolling the ticket list. */}
      {totals.count > 0 && summaryVisible === false ? (
        <div className="fixed inset-x-0 bottom-0 z-30 border-t border-slate-200 bg-white/95 px-4 py-3 shadow-[0_-4px_12px_rgba(15,23,42,0.08)] backdrop-blur lg:hidden">
          <div className="mx-auto flex max-w-6xl items-center justify-between gap-3">
            <p className="min-w-0 text-sm text-slate-700">
              {totals.count} {totals.count === 1 ? "ticket" : "tickets"} ·{" "}
              <span className="text-base font-semibold text-slate-900 tabular-nums">{formatMoney(totals.totalMinor, event.currency)}</span>
            </p>
            <button
              type="button"
              onClick={() => {
                summaryRef.current?.scrollIntoView({ behavior: "smooth", block: "start" });
                summaryRef.current?.querySelector<HTMLButtonElement>("button:not([disabled])")?.focus({ preventScroll: true });
              }}
              className="shrink-0 rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
            >
              Review order
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** Whether the element is on screen; undefined where the browser can't tell (then nothing extra shows). */
function useInView(ref: RefObject<HTMLElement | null>): boolean | undefined {
  const [visible, setVisible] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(([entry]) => setVisible(entry?.isIntersecting ?? false), { threshold: 0.15 });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return visible;
}

function EventHero({ event }: { event: EventRead }) {
  const inactive = event.status === "cancelled";
  return (
    <div className="border-b border-slate-200 bg-linear-to-b from-brand-50 to-slate-50">
      <div className="mx-auto max-w-6xl px-4 pt-6 pb-6 sm:px-6 lg:px-8">
        <nav aria-label="Breadcrumb" className="mb-4 text-sm">
          <Link to="/" className="font-medium text-brand-700 hover:underline">
            ← All events
          </Link>
        </nav>
        <div className="relative aspect-[2/1] max-h-80 w-full overflow-hidden rounded-3xl bg-linear-to-br from-brand-500 via-indigo-500 to-fuchsia-500 shadow-sm sm:aspect-[3/1]">
          {event.cover_image_url ? (
            <img
              src={event.cover_image_url}
              alt=""
              decoding="async"
              className={`h-full w-full object-cover ${inactive ? "grayscale" : ""}`}
            />
          ) : (
            <div aria-hidden="true" className="flex h-full items-end p-6 sm:p-10">
              <span className="text-5xl font-black tracking-tight break-words text-white/25 sm:text-7xl">
                {event.category.replace(/[-_]/g, " ").toUpperCase()}
              </span>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

function EventDetailSkeleton() {
  return (
    <div role="status" aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading event…</span>
      <div aria-hidden="true" className="border-b border-slate-200 bg-slate-50">
        <div className="mx-auto max-w-6xl px-4 pt-6 sm:px-6 lg:px-8">
          <div className="mb-4 h-4 w-24 animate-pulse rounded bg-slate-200" />
          <div className="mb-6 aspect-[2/1] max-h-80 animate-pulse rounded-3xl bg-slate-200 sm:aspect-[3/1]" />
        </div>
      </div>
      <div aria-hidden="true" className="mx-auto grid max-w-6xl gap-8 px-4 py-8 sm:px-6 lg:grid-cols-[1fr_22rem] lg:px-8">
        <div className="space-y-4">
          <div className="h-5 w-24 animate-pulse rounded-full bg-slate-200" />
          <div className="h-9 w-3/4 animate-pulse rounded bg-slate-200" />
          <div className="h-4 w-1/2 animate-pulse rounded bg-slate-200" />
          <div className="h-24 animate-pulse rounded-2xl bg-slate-200" />
          <div className="h-24 animate-pulse rounded-2xl bg-slate-200" />
        </div>
        <div className="h-64 animate-pulse rounded-2xl bg-slate-200" />
      </div>
    </div>
  );
}

