import { createBrowserRouter, type RouteObject } from "react-router";
import { Layout } from "../components/Layout";
import { NotFoundPage } from "../components/NotFoundPage";
import { RouteErrorPage } from "../components/RouteErrorPage";
import { AccountPage } from "../features/account/AccountPage";
import { DevicesPage } from "../features/account/DevicesPage";
import { MailboxPage } from "../features/account/MailboxPage";
import { UsersPage } from "../features/admin/UsersPage";
import { AuthCompletePage } from "../features/auth/AuthCompletePage";
import { ForgotPasswordPage } from "../features/auth/ForgotPasswordPage";
import { RequireAuth, RequireRole } from "../features/auth/guards";
import { LoginPage } from "../features/auth/LoginPage";
import { RegisterPage } from "../features/auth/RegisterPage";
import { ResetPasswordPage } from "../features/auth/ResetPasswordPage";
import { startSession } from "../features/auth/sessionKeeper";
import { VerifyEmailPage } from "../features/auth/VerifyEmailPage";
import { LandingPage } from "../features/events/LandingPage";
import { store } from "./store";

export const routes: RouteObject[] = [
  {
    path: "/",
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <LandingPage /> },
      { path: "login", element: <LoginPage /> },
      { path: "register", element: <RegisterPage /> },
      { path: "forgot-password", element: <ForgotPasswordPage /> },
      { path: "reset-password", element: <ResetPasswordPage /> },
      { path: "verify-email", element: <VerifyEmailPage /> },
      { path: "auth/complete", element: <AuthCompletePage /> },
      {
        element: <RequireAuth />,
        children: [
          { path: "account", element: <AccountPage /> },
          { path: "account/devices", element: <DevicesPage /> },
          { path: "account/mailbox", element: <MailboxPage /> },
        ],
      },
      {
        element: <RequireRole roles={["admin"]} />,
        children: [{ path: "admin/users", element: <UsersPage /> }],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

/** The browser app: restores the session from the refresh cookie as it starts (tests don't). */
export function createAppRouter() {
  startSession(store);
  return createBrowserRouter(routes);
}
