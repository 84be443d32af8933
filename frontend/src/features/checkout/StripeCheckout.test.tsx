import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, makeUser, mockApi, renderAt, signedIn } from "../auth/testing";
import { BOOKING_ID, makeBooking, makeConfirmed, makePaymentStart } from "../bookings/fixtures";

// Stripe.js is never loaded in tests (no network): the React bindings are replaced by stand-ins.
const stripe = vi.hoisted(() => ({
  confirmPayment: vi.fn(),
  loadStripe: vi.fn(),
  elementsOptions: [] as unknown[],
}));

vi.mock("@stripe/stripe-js/pure", () => ({ loadStripe: stripe.loadStripe }));
vi.mock("@stripe/react-stripe-js", () => ({
  Elements: ({ children, options }: { children: ReactNode; options: unknown }) => {
    stripe.elementsOptions.push(options);
    return <div data-testid="stripe-elements">{children}</div>;
  },
  PaymentElement: () => <div>Stripe payment element</div>,
  useStripe: () => ({ confirmPayment: stripe.confirmPayment }),
  useElements: () => ({ kind: "elements" }),
}));

const stripeStart = makePaymentStart({
  provider: "stripe",
  demo_mode: false,
  decline_card: null,
  client_secret: "pi_123_secret_456",
});

afterEach(() => {
  vi.unstubAllEnvs();
  stripe.confirmPayment.mockReset();
  stripe.loadStripe.mockReset();
  stripe.elementsOptions.length = 0;
});

describe("checkout with Stripe", () => {
  it("renders Stripe Elements with the client secret and confirms after the payment", async () => {
    vi.stubEnv("VITE_STRIPE_PUBLISHABLE_KEY", "pk_test_boxoffice");
    stripe.loadStripe.mockResolvedValue({});
    stripe.confirmPayment.mockResolvedValue({ paymentIntent: { id: "pi_123", status: "succeeded" } });
    const api = mockApi({
      [`GET /api/bookings/${BOOKING_ID}`]: () => json(makeBooking()),
      [`POST /api/bookings/${BOOKING_ID}/payment`]: () => json(stripeStart, 201),
      [`POST /api/bookings/${BOOKING_ID}/confirm`]: () => json(makeConfirmed()),
      [`GET /api/bookings/${BOOKING_ID}/tickets`]: () => json([]),
      [`GET /api/bookings/${BOOKING_ID}/refunds`]: () => json([]),
    });
    const { router } = renderAt(`/checkout/${BOOKING_ID}`, signedIn(makeUser()));

    expect(await screen.findByText("Stripe payment element")).toBeInTheDocument();
    expect(screen.queryByText("Demo mode — no real money")).not.toBeInTheDocument();
    expect(stripe.loadStripe).toHaveBeenCalledWith("pk_test_boxoffice");
    expect(stripe.elementsOptions[0]).toMatchObject({ clientSecret: "pi_123_secret_456" });

    await userEvent.click(screen.getByRole("button", { name: "Pay €50.00" }));

    await waitFor(() => expect(router.state.location.pathname).toBe(`/bookings/${BOOKING_ID}`));
    expect(stripe.confirmPayment).toHaveBeenCalledWith(
      expect.objectContaining({ redirect: "if_required", elements: { kind: "elements" } }),
    );
    expect(api.calls(`POST /api/bookings/${BOOKING_ID}/confirm`)).toHaveLength(1);
  });

  it("shows Stripe's message when the card is refused and does not confirm", async () => {
    vi.stubEnv("VITE_STRIPE_PUBLISHABLE_KEY", "pk_test_boxoffice");
    stripe.loadStripe.mockResolvedValue({});
    stripe.confirmPayment.mockResolvedValue({ error: { type: "card_error", message: "Your card has insufficient funds." } });
    const api = mockApi({
      [`GET /api/bookings/${BOOKING_ID}`]: () => json(makeBooking()),
      [`POST /api/bookings/${BOOKING_ID}/payment`]: () => json(stripeStart, 201),
    });
    renderAt(`/checkout/${BOOKING_ID}`, signedIn(makeUser()));

    await userEvent.click(await screen.findByRole("button", { name: "Pay €50.00" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Your card has insufficient funds.");
    expect(api.calls(`POST /api/bookings/${BOOKING_ID}/confirm`)).toHaveLength(0);
  });

  it("says so when the web app was built without a publishable key", async () => {
    vi.stubEnv("VITE_STRIPE_PUBLISHABLE_KEY", "");
    mockApi({
      [`GET /api/bookings/${BOOKING_ID}`]: () => json(makeBooking()),
      [`POST /api/bookings/${BOOKING_ID}/payment`]: () => json(stripeStart, 201),
    });
    renderAt(`/checkout/${BOOKING_ID}`, signedIn(makeUser()));

    expect(await screen.findByRole("alert")).toHaveTextContent("Stripe is not configured for the web app");
    expect(stripe.loadStripe).not.toHaveBeenCalled();
  });
});
