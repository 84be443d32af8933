import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import type { Stripe } from "@stripe/stripe-js";
import { loadStripe } from "@stripe/stripe-js/pure";
import { useState, type FormEvent } from "react";
import { Alert } from "../../components/Alert";
import { LoadingButton } from "../../components/LoadingButton";

// `pure` loads Stripe.js only when a Stripe checkout actually renders, not on every page.
const loaded = new Map<string, Promise<Stripe | null>>();
function stripeFor(publishableKey: string): Promise<Stripe | null> {
  let promise = loaded.get(publishableKey);
  if (!promise) {
    promise = loadStripe(publishableKey);
    loaded.set(publishableKey, promise);
  }
  return promise;
}

export interface StripePaymentProps {
  bookingId: string;
  clientSecret: string;
  amountLabel: string;
  busy: boolean;
  busyText: string;
  /** Called once Stripe has the payment; the server then verifies it and confirms the booking. */
  onPaid: () => void;
}

/** Card (and other methods) through Stripe Elements with the PaymentIntent's client secret. */
export default function StripePayment(props: StripePaymentProps) {
  const publishableKey = import.meta.env.VITE_STRIPE_PUBLISHABLE_KEY;
  if (!publishableKey) {
    return (
      <Alert tone="error" title="Card payments aren't set up">
        Stripe is not configured for the web app (VITE_STRIPE_PUBLISHABLE_KEY was not set when it was built), so we can't
        take your payment here. Your tickets are still held: please contact the organizer.
      </Alert>
    );
  }
  return (
    <Elements
      stripe={stripeFor(publishableKey)}
      options={{
        clientSecret: props.clientSecret,
        appearance: { theme: "stripe", variables: { colorPrimary: "#4f46e5", borderRadius: "8px" } },
      }}
    >
      <StripeForm {...props} />
    </Elements>
  );
}

function StripeForm({ bookingId, amountLabel, busy, busyText, onPaid }: StripePaymentProps) {
  const stripe = useStripe();
  const elements = useElements();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setSubmitting(true);
    setError(null);
    const result = await stripe.confirmPayment({
      elements,
      redirect: "if_required",
      // Only for methods that must leave the page (bank redirects); we confirm on return.
      confirmParams: { return_url: `${window.location.origin}/checkout/${encodeURIComponent(bookingId)}` },
    });
    setSubmitting(false);
    if (result.error) {
      setError(
        result.error.type === "card_error" || result.error.type === "validation_error"
          ? (result.error.message ?? "Your card was declined.")
          : "We couldn't reach the payment provider. Check your connection and try again.",
      );
      return;
    }
    onPaid();
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="space-y-4">
      <PaymentElement />
      {error ? (
        <Alert tone="error" title="Payment didn't go through">
          {error}
        </Alert>
      ) : null}
      <LoadingButton
        type="submit"
        className="w-full py-3 text-base"
        disabled={!stripe || !elements}
        loading={submitting || busy}
        loadingText={submitting ? "Sending payment…" : busyText}
      >
        Pay {amountLabel}
      </LoadingButton>
    </form>
  );
}
