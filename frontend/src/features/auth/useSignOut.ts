import { useCallback, useState } from "react";
import { useNavigate } from "react-router";
import { api } from "../../app/api";
import { useAppDispatch } from "../../app/hooks";
import { useLogoutAllMutation, useLogoutMutation } from "./authApi";
import { loggedOut } from "./authSlice";
import { announce } from "./broadcast";

/** Signs out (this device, or everywhere), then lands on `to` with the local session cleared. */
export function useSignOut() {
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const [logout] = useLogoutMutation();
  const [logoutAll] = useLogoutAllMutation();
  const [pending, setPending] = useState(false);

  const signOut = useCallback(
    async ({ everywhere = false, to = "/" }: { everywhere?: boolean; to?: string } = {}) => {
      setPending(true);
      const result = await (everywhere ? logoutAll() : logout());
      // Signing out everywhere must really reach the server; this device is cleared regardless.
      if (everywhere && "error" in result) {
        setPending(false);
        return result;
      }
      // flushSync: the guarded page must be gone before the session is (else its guard would
      // redirect to /login?next=<it>); the state keeps /login from bouncing a still-signed-in user.
      await navigate(to, { replace: true, flushSync: true, state: { signedOut: true } });
      dispatch(loggedOut());
      dispatch(api.util.resetApiState());
      announce("signed-out");
      setPending(false);
      return result;
    },
    [dispatch, logout, logoutAll, navigate],
  );

  return { signOut, pending };
}
