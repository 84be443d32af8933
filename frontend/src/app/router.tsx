import type { ComponentType } from "react";
import { createBrowserRouter, Navigate, useLocation, type RouteObject } from "react-router";
import { Layout } from "../components/Layout";
import { NotFoundPage } from "../components/NotFoundPage";
import { PageLoadingFallback } from "../components/PageLoading";
import { RouteErrorPage } from "../components/RouteErrorPage";
import { AuthCompletePage } from "../features/auth/AuthCompletePage";
import { ForgotPasswordPage } from "../features/auth/ForgotPasswordPage";
import { RequireAuth, RequireRole } from "../features/auth/guards";
import { LoginPage } from "../features/auth/LoginPage";
import { RegisterPage } from "../features/auth/RegisterPage";
import { ResetPasswordPage } from "../features/auth/ResetPasswordPage";
import { startSession } from "../features/auth/sessionKeeper";
import { VerifyEmailPage } from "../features/auth/VerifyEmailPage";
import { BookingDetailPage } from "../features/bookings/BookingDetailPage";
import { MyBookingsPage } from "../features/bookings/MyBookingsPage";
import { CheckoutPage } from "../features/checkout/CheckoutPage";
import { EventDetailPage } from "../features/events/EventDetailPage";
import { LandingPage } from "../features/events/LandingPage";
import { store } from "./store";

/*
 * What every visitor needs (the listing, event pages, checkout, sign-in) is in the first download;
 * the organizer, admin, door and account pages load when first opened (route `lazy`), which keeps
 * the first download small on a phone. The router keeps the current page on screen meanwhile.
 */

function lazyPage<M extends Record<K, ComponentType>, K extends keyof M>(load: () => Promise<M>, name: K) {
  return async () => ({ Component: (await load())[name] });
}

function EventsRedirect() {
  const { search } = useLocation();
  return <Navigate to={{ pathname: "/", search }} replace />;
}

export const routes: RouteObject[] = [
  {
    path: "/",
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    hydrateFallbackElement: <PageLoadingFallback />,
    children: [
      { index: true, element: <LandingPage /> },
      // The listing lives at "/"; people type /events too (and keep its search in the query).
      { path: "events", element: <EventsRedirect /> },
      { path: "events/:idOrSlug", element: <EventDetailPage /> },
      { path: "login", element: <LoginPage /> },
      { path: "register", element: <RegisterPage /> },
      { path: "forgot-password", element: <ForgotPasswordPage /> },
      { path: "reset-password", element: <ResetPasswordPage /> },
      { path: "verify-email", element: <VerifyEmailPage /> },
      { path: "auth/complete", element: <AuthCompletePage /> },
      {
        element: <RequireAuth />,
        children: [
          { path: "account", lazy: lazyPage(() => import("../features/account/AccountPage"), "AccountPage") },
          { path: "account/devices", lazy: lazyPage(() => import("../features/account/DevicesPage"), "DevicesPage") },
          { path: "account/mailbox", lazy: lazyPage(() => import("../features/account/MailboxPage"), "MailboxPage") },
          { path: "checkout/:bookingId", element: <CheckoutPage /> },
          { path: "bookings/:bookingId", element: <BookingDetailPage /> },
          { path: "my/bookings", element: <MyBookingsPage /> },
          {
            path: "door",
            children: [
              { index: true, lazy: lazyPage(() => import("../features/door/DoorListPage"), "DoorListPage") },
              { path: ":eventId", lazy: lazyPage(() => import("../features/door/DoorScannerPage"), "DoorScannerPage") },
            ],
          },
        ],
      },
      {
        element: <RequireRole roles={["admin"]} />,
        children: [{ path: "admin/users", lazy: lazyPage(() => import("../features/admin/UsersPage"), "UsersPage") }],
      },
      {
        element: <RequireRole roles={["organizer", "admin"]} />,
        children: [
          {
            path: "organizer",
            lazy: lazyPage(() => import("../features/organizer/OrganizerLayout"), "OrganizerLayout"),
            children: [
              { index: true, lazy: lazyPage(() => import("../features/organizer/OrganizerDashboard"), "OrganizerDashboard") },
              { path: "events/new", lazy: lazyPage(() => import("../features/organizer/EventEditorPage"), "EventEditorPage") },
              { path: "events/:id/edit", lazy: lazyPage(() => import("../features/organizer/EventEditorPage"), "EventEditorPage") },
              { path: "events/:id/bookings", lazy: lazyPage(() => import("../features/organizer/EventBookingsPage"), "EventBookingsPage") },
              { path: "coupons", lazy: lazyPage(() => import("../features/organizer/CouponsPage"), "CouponsPage") },
            ],
          },
        ],
      },
      {
        element: <RequireRole roles={["admin"]} />,
        children: [
          { path: "admin", lazy: lazyPage(() => import("../features/admin/AdminOverviewPage"), "AdminOverviewPage") },
          { path: "admin/bookings", lazy: lazyPage(() => import("../features/admin/AdminBookingsPage"), "AdminBookingsPage") },
        ],
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
