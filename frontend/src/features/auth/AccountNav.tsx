import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { Link, NavLink, useLocation } from "react-router";
import { useAppSelector } from "../../app/hooks";
import { Spinner } from "../../components/Spinner";
import { selectAuthStatus, selectCurrentUser, type UserRead } from "./authSlice";
import { authUrl, pathOf } from "./navigation";
import { useSignOut } from "./useSignOut";

/** The header's right side: the account menu when signed in, else "Sign in" / "Create account". */
export function AccountNav() {
  const status = useAppSelector(selectAuthStatus);
  const user = useAppSelector(selectCurrentUser);
  const location = useLocation();

  if (status === "checking") {
    // Same footprint as the buttons, so the header does not jump when the session is restored.
    return <div className="h-9 w-9 animate-pulse rounded-full bg-slate-200 sm:w-32" aria-hidden="true" />;
  }
  if (status === "authenticated" && user) return <UserMenu user={user} />;

  // Come back here after signing in, unless "here" is itself a sign-in page.
  const here = pathOf(location);
  return (
    <div className="flex items-center gap-1 sm:gap-2">
      <Link
        to={authUrl("/login", here)}
        className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 hover:text-slate-900"
      >
        Sign in
      </Link>
      <Link
        to={authUrl("/register", here)}
        className="hidden rounded-lg bg-brand-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 sm:inline-flex"
      >
        Create account
      </Link>
    </div>
  );
}

function initials(user: UserRead): string {
  const source = user.full_name.trim() || user.email;
  const parts = source.split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts[parts.length - 1]![0]] : [source[0]];
  return letters.join("").toUpperCase();
}

const itemClass = ({ isActive }: { isActive: boolean }) =>
  `block rounded-md px-3 py-2 text-sm ${isActive ? "bg-brand-50 font-semibold text-brand-700" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900"}`;

/**
 * A disclosure menu (button + list of links): Escape or a click outside closes it and focus
 * returns to the button; arrow keys move between the items.
 */
function UserMenu({ user }: { user: UserRead }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const location = useLocation();
  const { signOut, pending } = useSignOut();
  const firstName = (user.full_name.trim() || user.email).split(/\s+/)[0];

  // Close after navigating.
  useEffect(() => setOpen(false), [location.pathname]);

  useEffect(() => {
    if (!open) return;
    function onPointerDown(event: PointerEvent) {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    }
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "Escape" && open) {
      setOpen(false);
      button.current?.focus();
      return;
    }
    if (!open || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return;
    const items = Array.from(panel.current?.querySelectorAll<HTMLElement>("a, button") ?? []);
    if (items.length === 0) return;
    event.preventDefault();
    const index = items.indexOf(document.activeElement as HTMLElement);
    const step = event.key === "ArrowDown" ? 1 : -1;
    items[(index + step + items.length) % items.length]?.focus();
  }

  return (
    <div className="relative" onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={`Account menu for ${user.full_name.trim() || user.email}`}
        onClick={() => setOpen((value) => !value)}
        className="flex items-center gap-2 rounded-full py-1 pr-2 pl-1 text-sm font-medium text-slate-800 hover:bg-slate-100"
      >
        <span
          aria-hidden="true"
          className="flex h-8 w-8 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold text-white"
        >
          {initials(user)}
        </span>
        <span className="max-w-[10rem] truncate max-sm:sr-only">{firstName}</span>
        <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 text-slate-500" aria-hidden="true" focusable="false">
          <path fillRule="evenodd" clipRule="evenodd" d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z" />
        </svg>
      </button>

      <div
        ref={panel}
        id={menuId}
        hidden={!open}
        className="absolute right-0 z-50 mt-2 w-64 max-w-[calc(100vw-2rem)] rounded-xl border border-slate-200 bg-white p-2 shadow-lg"
      >
        <div className="border-b border-slate-100 px-3 pt-1 pb-3">
          <p className="truncate text-sm font-semibold text-slate-900">{user.full_name || user.email}</p>
          <p className="truncate text-xs text-slate-600">{user.email}</p>
        </div>
        <nav aria-label="Account" className="py-1">
          <ul>
            <li>
              <NavLink to="/account" end className={itemClass}>
                Account
              </NavLink>
            </li>
            <li>
              <NavLink to="/account/devices" className={itemClass}>
                Devices
              </NavLink>
            </li>
            <li>
              <NavLink to="/account/mailbox" className={itemClass}>
                Mailbox
              </NavLink>
            </li>
          </ul>
          {user.role === "admin" ? (
            <>
              <p className="mt-2 px-3 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase" id={`${menuId}-admin`}>
                Admin
              </p>
              <ul aria-labelledby={`${menuId}-admin`}>
                <li>
                  <NavLink to="/admin/users" className={itemClass}>
                    Users
                  </NavLink>
                </li>
              </ul>
            </>
          ) : null}
        </nav>
        <div className="border-t border-slate-100 pt-1">
          <button
            type="button"
            onClick={() => void signOut()}
            disabled={pending}
            aria-busy={pending || undefined}
            className="flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 hover:text-slate-900 disabled:opacity-60"
          >
            {pending ? <Spinner className="h-4 w-4" /> : null}
            Sign out
          </button>
        </div>
      </div>
    </div>
  );
}
