import { createBrowserRouter, Navigate, useLocation, type RouteObject } from "react-router";
import { Layout } from "../components/Layout";
import { NotFoundPage } from "../components/NotFoundPage";
import { RouteErrorPage } from "../components/RouteErrorPage";
import { AccountPage } from "../features/account/AccountPage";
import { DevicesPage } from "../features/account/DevicesPage";
import { MailboxPage } from "../features/account/MailboxPage";
import { AdminBookingsPage } from "../features/admin/AdminBookingsPage";
import { AdminOverviewPage } from "../features/admin/AdminOverviewPage";
import { UsersPage } from "../features/admin/UsersPage";
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
import { DoorListPage } from "../features/door/DoorListPage";
import { DoorScannerPage } from "../features/door/DoorScannerPage";
import { EventDetailPage } from "../features/events/EventDetailPage";
import { LandingPage } from "../features/events/LandingPage";
import { CouponsPage } from "../features/organizer/CouponsPage";
import { EventBookingsPage } from "../features/organizer/EventBookingsPage";
import { EventEditorPage } from "../features/organizer/EventEditorPage";
import { OrganizerDashboard } from "../features/organizer/OrganizerDashboard";
import { OrganizerLayout } from "../features/organizer/OrganizerLayout";
import { store } from "./store";

function EventsRedirect() {
  const { search } = useLocation();
  return <Navigate to={{ pathname: "/", search }} replace />;
}

export const routes: RouteObject[] = [
  {
    path: "/",
    element: <Layout />,
    errorElement: <RouteErrorPage />,
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
          { path: "account", element: <AccountPage /> },
          { path: "account/devices", element: <DevicesPage /> },
          { path: "account/mailbox", element: <MailboxPage /> },
          { path: "checkout/:bookingId", element: <CheckoutPage /> },
          { path: "bookings/:bookingId", element: <BookingDetailPage /> },
          { path: "my/bookings", element: <MyBookingsPage /> },
          {
            path: "door",
            children: [
              { index: true, element: <DoorListPage /> },
              { path: ":eventId", element: <DoorScannerPage /> },
            ],
          },
        ],
      },
      {
        element: <RequireRole roles={["admin"]} />,
        children: [{ path: "admin/users", element: <UsersPage /> }],
      },
      {
        element: <RequireRole roles={["organizer", "admin"]} />,
        children: [
          {
            path: "organizer",
            element: <OrganizerLayout />,
            children: [
              { index: true, element: <OrganizerDashboard /> },
              { path: "events/new", element: <EventEditorPage /> },
              { path: "events/:id/edit", element: <EventEditorPage /> },
              { path: "events/:id/bookings", element: <EventBookingsPage /> },
              { path: "coupons", element: <CouponsPage /> },
            ],
          },
        ],
      },
      {
        element: <RequireRole roles={["admin"]} />,
        children: [
          { path: "admin", element: <AdminOverviewPage /> },
          { path: "admin/bookings", element: <AdminBookingsPage /> },
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
