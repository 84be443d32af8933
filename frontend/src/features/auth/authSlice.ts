import { createSlice, type PayloadAction } from "@reduxjs/toolkit";
import type { components } from "../../api/schema";

export type UserRead = components["schemas"]["UserRead"];
export type Role = components["schemas"]["Role"];

/**
 * - unknown: nobody has asked the server yet (the refresh cookie is invisible to scripts);
 * - checking: the first silent refresh is in flight, guards wait for it;
 * - authenticated / anonymous: settled.
 */
export type AuthStatus = "unknown" | "checking" | "authenticated" | "anonymous";

/** Why the last session ended, so the sign-in page can say so. */
export type SessionEndReason = "signed_out" | "expired" | "reused" | "password_reset";

/**
 * Everything but the token is optional so that `{ accessToken }` alone is a valid state (tests
 * preload that); read it through the selectors, which fill in the gaps.
 */
export interface AuthState {
  /** Kept in memory only; the refresh token is an httpOnly cookie the page never sees. */
  accessToken: string | null;
  /** Epoch milliseconds at which the access token stops working. */
  expiresAt?: number | null;
  user?: UserRead | null;
  status?: AuthStatus;
  endedReason?: SessionEndReason | null;
}

export const initialAuthState: AuthState = {
  accessToken: null,
  expiresAt: null,
  user: null,
  status: "unknown",
  endedReason: null,
};

/** A token without a status (preloaded state) means signed in. */
function statusOf(state: AuthState): AuthStatus {
  return state.status ?? (state.accessToken ? "authenticated" : "unknown");
}

export interface SessionPayload {
  accessToken: string;
  /** Seconds, as the API's `expires_in`. */
  expiresIn: number;
  user: UserRead;
}

export const authSlice = createSlice({
  name: "auth",
  initialState: initialAuthState,
  reducers: {
    sessionCheckStarted(state) {
      if (statusOf(state) === "unknown") state.status = "checking";
    },
    sessionStarted(state, action: PayloadAction<SessionPayload>) {
      const { accessToken, expiresIn, user } = action.payload;
      state.accessToken = accessToken;
      state.expiresAt = Date.now() + expiresIn * 1000;
      state.user = user;
      state.status = "authenticated";
      state.endedReason = null;
    },
    /** A bare token (API clients, tests); the user arrives later with /me. */
    tokenReceived(state, action: PayloadAction<string>) {
      state.accessToken = action.payload;
      state.status = "authenticated";
    },
    /** Fresh data about the signed-in user (profile edit, /me, email verified); others are ignored. */
    userUpdated(state, action: PayloadAction<UserRead>) {
      const known = state.user ? state.user.id === action.payload.id : statusOf(state) === "authenticated";
      if (known) state.user = action.payload;
    },
    sessionEnded(state, action: PayloadAction<SessionEndReason | null>) {
      state.accessToken = null;
      state.expiresAt = null;
      state.user = null;
      state.status = "anonymous";
      state.endedReason = action.payload;
    },
    loggedOut(state) {
      state.accessToken = null;
      state.expiresAt = null;
      state.user = null;
      state.status = "anonymous";
      state.endedReason = "signed_out";
    },
  },
  selectors: {
    selectAccessToken: (state) => state.accessToken,
    selectAuthStatus: statusOf,
    selectCurrentUser: (state) => state.user ?? null,
    selectSessionEndReason: (state) => state.endedReason ?? null,
    selectExpiresAt: (state) => state.expiresAt ?? null,
  },
});

export const { sessionCheckStarted, sessionStarted, tokenReceived, userUpdated, sessionEnded, loggedOut } =
  authSlice.actions;
export const { selectAccessToken, selectAuthStatus, selectCurrentUser, selectSessionEndReason, selectExpiresAt } =
  authSlice.selectors;
