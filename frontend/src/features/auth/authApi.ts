import { api } from "../../app/api";
import type { components, paths } from "../../api/schema";
import { announce } from "./broadcast";
import { sessionStarted, userUpdated, type UserRead } from "./authSlice";
import { CSRF_HEADERS } from "./refresh";

type Schemas = components["schemas"];
export type TokenResponse = Schemas["TokenResponse"];
export type SessionRead = Schemas["SessionRead"];
export type OAuthProvider = Schemas["OAuthProvider"];
export type Accepted = Schemas["Accepted"];
export type LoginRequest = Omit<Schemas["LoginRequest"], "token_delivery">;
export type RegisterRequest = Schemas["RegisterRequest"];
export type ChangePasswordRequest = Schemas["ChangePasswordRequest"];
export type ResetPasswordRequest = Schemas["ResetPasswordRequest"];
export type ProfileUpdate = Schemas["ProfileUpdate"];

// Paths are checked against the generated schema so a renamed route fails `tsc`.
const AUTH = {
  register: "/api/auth/register",
  login: "/api/auth/login",
  logout: "/api/auth/logout",
  logoutAll: "/api/auth/logout-all",
  me: "/api/auth/me",
  changePassword: "/api/auth/change-password",
  verifyEmail: "/api/auth/verify-email",
  resendVerification: "/api/auth/verify-email/resend",
  forgotPassword: "/api/auth/forgot-password",
  resetPassword: "/api/auth/reset-password",
  sessions: "/api/auth/sessions",
  session: "/api/auth/sessions/{session_id}",
  oauthProviders: "/api/auth/oauth/providers",
} as const satisfies Record<string, keyof paths>;

/**
 * Queries about the signed-in person take their user id as the argument although the server
 * does not need it: it keys the cache per user, so whoever signs in next never sees the last
 * person's data.
 */
export type UserId = UserRead["id"];

export const authApi = api.enhanceEndpoints({ addTagTypes: ["Me", "Session", "Mail"] }).injectEndpoints({
  endpoints: (build) => ({
    register: build.mutation<Accepted, RegisterRequest>({
      query: (body) => ({ url: AUTH.register, method: "POST", body }),
    }),

    login: build.mutation<TokenResponse, LoginRequest>({
      query: (body) => ({ url: AUTH.login, method: "POST", body: { ...body, token_delivery: "cookie" } }),
      async onQueryStarted(_, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(sessionStarted({ accessToken: data.access_token, expiresIn: data.expires_in, user: data.user }));
          announce("signed-in");
        } catch {
          // The form shows the error.
        }
      },
    }),

    logout: build.mutation<null, void>({
      query: () => ({ url: AUTH.logout, method: "POST", headers: CSRF_HEADERS }),
    }),

    logoutAll: build.mutation<null, void>({
      query: () => ({ url: AUTH.logoutAll, method: "POST", headers: CSRF_HEADERS }),
    }),

    me: build.query<UserRead, UserId>({
      query: () => AUTH.me,
      providesTags: ["Me"],
      async onQueryStarted(_, { dispatch, queryFulfilled }) {
        try {
          dispatch(userUpdated((await queryFulfilled).data));
        } catch {
          // Shown by the page.
        }
      },
    }),

    updateProfile: build.mutation<UserRead, ProfileUpdate & { userId: UserId }>({
      query: ({ full_name }) => ({ url: AUTH.me, method: "PATCH", body: { full_name } }),
      async onQueryStarted({ userId }, { dispatch, queryFulfilled }) {
        try {
          const { data } = await queryFulfilled;
          dispatch(userUpdated(data));
          dispatch(authApi.util.upsertQueryData("me", userId, data));
        } catch {
          // The form shows the error.
        }
      },
    }),

    changePassword: build.mutation<null, ChangePasswordRequest>({
      query: (body) => ({ url: AUTH.changePassword, method: "POST", body }),
      // Every other device is signed out.
      invalidatesTags: (_result, error) => (error ? [] : ["Session"]),
    }),

    verifyEmail: build.mutation<UserRead, string>({
      query: (token) => ({ url: AUTH.verifyEmail, method: "POST", body: { token } }),
      async onQueryStarted(_, { dispatch, queryFulfilled }) {
        try {
          dispatch(userUpdated((await queryFulfilled).data));
        } catch {
          // The page shows the error.
        }
      },
      invalidatesTags: (_result, error) => (error ? [] : ["Me"]),
    }),

    resendVerification: build.mutation<Accepted, void>({
      query: () => ({ url: AUTH.resendVerification, method: "POST" }),
      invalidatesTags: (_result, error) => (error ? [] : ["Mail"]),
    }),

    forgotPassword: build.mutation<Accepted, string>({
      query: (email) => ({ url: AUTH.forgotPassword, method: "POST", body: { email } }),
    }),

    resetPassword: build.mutation<null, ResetPasswordRequest>({
      query: (body) => ({ url: AUTH.resetPassword, method: "POST", body }),
    }),

    sessions: build.query<SessionRead[], UserId>({
      query: () => AUTH.sessions,
      providesTags: ["Session"],
    }),

    revokeSession: build.mutation<null, { id: SessionRead["id"]; userId: UserId }>({
      query: ({ id }) => ({ url: AUTH.session.replace("{session_id}", encodeURIComponent(id)), method: "DELETE" }),
      async onQueryStarted({ id, userId }, { dispatch, queryFulfilled }) {
        try {
          await queryFulfilled;
          dispatch(authApi.util.updateQueryData("sessions", userId, (list) => list.filter((s) => s.id !== id)));
        } catch {
          // The page shows the error.
        }
      },
    }),

    oauthProviders: build.query<OAuthProvider[], void>({
      query: () => AUTH.oauthProviders,
      // Configuration: it does not change while the page is open.
      keepUnusedDataFor: 3600,
    }),
  }),
});

export const {
  useRegisterMutation,
  useLoginMutation,
  useLogoutMutation,
  useLogoutAllMutation,
  useMeQuery,
  useUpdateProfileMutation,
  useChangePasswordMutation,
  useVerifyEmailMutation,
  useResendVerificationMutation,
  useForgotPasswordMutation,
  useResetPasswordMutation,
  useSessionsQuery,
  useRevokeSessionMutation,
  useOauthProvidersQuery,
} = authApi;
