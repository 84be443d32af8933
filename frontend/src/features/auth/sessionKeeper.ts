import { api } from "../../app/api";
import type { AppStore } from "../../app/store";
import { loggedOut, selectAuthStatus, selectExpiresAt } from "./authSlice";
import { listen } from "./broadcast";
import { refreshSession } from "./refresh";

/** Renew this long before the access token expires. */
export const REFRESH_LEAD_MS = 60_000;
const NETWORK_RETRY_MS = 15_000;

/** When to renew a token that has `msLeft` to live: a minute early, or half-way for short ones. */
export function refreshDelay(msLeft: number): number {
  return Math.max(msLeft - REFRESH_LEAD_MS, msLeft / 2, 1_000);
}

const started = new WeakSet<AppStore>();

/**
 * Keeps the browser app signed in: restores the session from the refresh cookie at start (so a
 * reload keeps you signed in), renews the access token before it expires, catches up after the
 * tab slept, and follows sign-in/sign-out in other tabs. Every renewal goes through the
 * single-flight `refreshSession`.
 */
export function startSession(store: AppStore): () => void {
  if (started.has(store)) return () => {};
  started.add(store);
  let stopped = false;

  const signedIn = () => selectAuthStatus(store.getState()) === "authenticated";

  async function renew(): Promise<void> {
    if (stopped) return;
    const outcome = await store.dispatch(refreshSession());
    if (!outcome.ok && outcome.reason === "network" && signedIn()) {
      setTimeout(() => void renew(), NETWORK_RETRY_MS);
    }
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let scheduledFor: number | null = null;
  const unsubscribe = store.subscribe(() => {
    const expiresAt = signedIn() ? selectExpiresAt(store.getState()) : null;
    if (expiresAt === scheduledFor) return;
    scheduledFor = expiresAt;
    clearTimeout(timer);
    if (expiresAt !== null) timer = setTimeout(() => void renew(), refreshDelay(expiresAt - Date.now()));
  });

  // Timers do not run while a laptop sleeps: renew on return if the token is (nearly) stale.
  function onVisible() {
    const expiresAt = selectExpiresAt(store.getState());
    if (document.visibilityState === "visible" && signedIn() && expiresAt !== null) {
      if (expiresAt - Date.now() < REFRESH_LEAD_MS) void renew();
    }
  }
  document.addEventListener("visibilitychange", onVisible);

  const stopListening = listen((signal) => {
    if (signal === "signed-out" && signedIn()) {
      store.dispatch(loggedOut());
      store.dispatch(api.util.resetApiState());
    } else if (signal === "signed-in" && !signedIn()) {
      void renew();
    }
  });

  void renew();

  return () => {
    stopped = true;
    started.delete(store);
    clearTimeout(timer);
    unsubscribe();
    document.removeEventListener("visibilitychange", onVisible);
    stopListening();
  };
}
