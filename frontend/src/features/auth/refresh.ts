import type { ThunkAction, UnknownAction } from "@reduxjs/toolkit";
import { isProblem } from "../../api/client";
import type { components, paths } from "../../api/schema";
import { selectAuthStatus, sessionCheckStarted, sessionEnded, sessionStarted, type AuthState } from "./authSlice";

type TokenResponse = components["schemas"]["TokenResponse"];

export const REFRESH_PATH = "/api/auth/refresh" satisfies keyof paths;
/** The server refuses cookie-authenticated calls without it (CSRF guard). */
export const CSRF_HEADERS = { "X-Requested-With": "boxoffice" } as const;

export type RefreshOutcome =
  | { ok: true; accessToken: string }
  | { ok: false; reason: "rejected"; code: string | undefined }
  | { ok: false; reason: "network" };

type State = { auth: AuthState };
type RefreshThunk = ThunkAction<Promise<RefreshOutcome>, State, unknown, UnknownAction>;

/**
 * One in-flight refresh per store, shared by every caller. Refresh tokens rotate on each use and
 * the server treats a second use of the old one as theft (it revokes the whole session), so two
 * concurrent refreshes from the same page must never happen. Keyed by the store's `getState`,
 * which Redux hands unchanged to every thunk and to RTK Query's base query.
 */
const inFlight = new WeakMap<() => State, Promise<RefreshOutcome>>();

export function refreshSession(): RefreshThunk {
  return (dispatch, getState) => {
    const pending = inFlight.get(getState);
    if (pending) return pending;
    const started = runRefresh(dispatch, getState).finally(() => inFlight.delete(getState));
    inFlight.set(getState, started);
    return started;
  };
}

/** The first refresh of a page load: only if nobody has asked yet. */
export function ensureSessionChecked(): RefreshThunk {
  return (dispatch, getState) => {
    const status = selectAuthStatus(getState());
    if (status === "unknown" || status === "checking") return dispatch(refreshSession());
    const token = getState().auth.accessToken;
    return Promise.resolve<RefreshOutcome>(
      token ? { ok: true, accessToken: token } : { ok: false, reason: "rejected", code: undefined },
    );
  };
}

async function runRefresh(dispatch: (action: UnknownAction) => unknown, getState: () => State): Promise<RefreshOutcome> {
  dispatch(sessionCheckStarted());
  const tokenAtStart = getState().auth.accessToken;

  let response: Response;
  try {
    // Other tabs share the cookie: serialise refreshes across tabs too, where the browser can.
    response = await acrossTabs(() =>
      fetch(`${origin()}${REFRESH_PATH}`, {
        method: "POST",
        credentials: "same-origin",
        headers: { ...CSRF_HEADERS, Accept: "application/json, application/problem+json" },
      }),
    );
  } catch {
    // Offline or server down: the cookie may still be good, so don't end a live session.
    if (selectAuthStatus(getState()) === "checking") dispatch(sessionEnded(null));
    return { ok: false, reason: "network" };
  }

  const body: unknown = await response.json().catch(() => null);
  if (response.ok && isTokenResponse(body)) {
    dispatch(sessionStarted({ accessToken: body.access_token, expiresIn: body.expires_in, user: body.user }));
    return { ok: true, accessToken: body.access_token };
  }

  const code = isProblem(body) ? body.code : undefined;
  const current = getState().auth;
  // A sign-in that finished while this refresh was in flight wins over a stale "no cookie".
  if (current.accessToken !== tokenAtStart && current.accessToken !== null) {
    return { ok: true, accessToken: current.accessToken };
  }
  const wasSignedIn = selectAuthStatus(getState()) === "authenticated";
  dispatch(sessionEnded(code === "refresh_token_reused" ? "reused" : wasSignedIn ? "expired" : null));
  return { ok: false, reason: "rejected", code };
}

function isTokenResponse(body: unknown): body is TokenResponse {
  if (typeof body !== "object" || body === null) return false;
  const candidate = body as Partial<TokenResponse>;
  return typeof candidate.access_token === "string" && typeof candidate.expires_in === "number" && !!candidate.user;
}

function acrossTabs<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  if (!locks || typeof locks.request !== "function") return task();
  // lib.dom types the callback's result as the lock's value; at run time the promise is awaited.
  return locks.request("boxoffice-auth-refresh", task) as unknown as Promise<T>;
}

function origin(): string {
  return typeof window === "undefined" ? "" : window.location.origin;
}
