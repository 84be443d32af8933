import { useEffect, type ReactNode } from "react";
import { Navigate, Outlet, useLocation } from "react-router";
import { useAppDispatch, useAppSelector } from "../../app/hooks";
import { ForbiddenPage } from "../../components/ForbiddenPage";
import { PageSpinner } from "../../components/Spinner";
import { selectAuthStatus, selectCurrentUser, type Role } from "./authSlice";
import { authUrl, pathOf } from "./navigation";
import { ensureSessionChecked } from "./refresh";

/**
 * Lets signed-in people through. Until the first silent refresh has answered it shows a spinner
 * (a reload must not flash the sign-in page); then anonymous visitors go to /login?next=<here>.
 */
export function RequireAuth({ children }: { children?: ReactNode }) {
  const status = useAppSelector(selectAuthStatus);
  const dispatch = useAppDispatch();
  const location = useLocation();

  useEffect(() => {
    if (status === "unknown") void dispatch(ensureSessionChecked());
  }, [status, dispatch]);

  if (status === "unknown" || status === "checking") return <PageSpinner label="Checking your sign-in…" />;
  if (status === "anonymous") return <Navigate to={authUrl("/login", pathOf(location))} replace />;
  return children ?? <Outlet />;
}

/** Signed in and one of `roles`; otherwise the sign-in page (anonymous) or a 403 page. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children?: ReactNode }) {
  return (
    <RequireAuth>
      <RoleGate roles={roles}>{children ?? <Outlet />}</RoleGate>
    </RequireAuth>
  );
}

function RoleGate({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const user = useAppSelector(selectCurrentUser);
  if (!user || !roles.includes(user.role)) return <ForbiddenPage />;
  return children;
}
