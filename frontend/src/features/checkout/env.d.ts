interface ImportMetaEnv {
  /**
   * Stripe publishable key (pk_live_… / pk_test_…) for Stripe Elements, read at build time:
   * `VITE_STRIPE_PUBLISHABLE_KEY=pk_test_… npm run build`. Only needed when the server runs with
   * BOXOFFICE_PAYMENT_PROVIDER=stripe; without it the checkout says Stripe isn't configured.
   */
  readonly VITE_STRIPE_PUBLISHABLE_KEY?: string;
}
