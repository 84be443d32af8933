import { NavLink, Outlet, ScrollRestoration } from "react-router";
import { useAppSelector } from "../app/hooks";
import { AccountNav } from "../features/auth/AccountNav";
import { selectAuthStatus } from "../features/auth/authSlice";
import { BrandMark } from "./BrandMark";
import { ManageNavItems } from "./ManageNavItems";
import { NavigationProgress } from "./PageLoading";

const navLinkClass = ({ isActive }: { isActive: boolean }) =>
  [
    "rounded-md px-3 py-2 text-sm font-medium transition-colors",
    isActive ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
  ].join(" ");

export function Layout() {
  const signedIn = useAppSelector(selectAuthStatus) === "authenticated";
  return (
    <div className="flex min-h-dvh flex-col">
      <NavigationProgress />
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-4 py-2 font-medium text-brand-700 shadow-lg focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/90 backdrop-blur supports-[backdrop-filter]:bg-white/75">
        <div className="mx-auto flex h-16 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6 lg:px-8">
          <NavLink to="/" className="flex items-center gap-2 rounded-md" aria-label="Boxoffice home">
            <BrandMark />
            <span className="hidden text-lg font-semibold tracking-tight text-slate-900 min-[420px]:inline">Boxoffice</span>
          </NavLink>
          <div className="flex items-center gap-1 sm:gap-3">
            <nav aria-label="Main">
              <ul className="flex items-center gap-1">
                <li>
                  <NavLink to="/" end className={navLinkClass}>
                    Events
                  </NavLink>
                </li>
                {signedIn ? (
                  <li>
                    <NavLink to="/my/bookings" className={navLinkClass} aria-label="My bookings">
                      {/* Narrow phones: an icon, so the header never overflows at 360 px. */}
                      <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="-mx-1 h-5 w-5 min-[400px]:hidden">
                        <path d="M2 6.75A2.75 2.75 0 0 1 4.75 4h10.5A2.75 2.75 0 0 1 18 6.75v1a.75.75 0 0 1-.75.75 1.5 1.5 0 0 0 0 3 .75.75 0 0 1 .75.75v1A2.75 2.75 0 0 1 15.25 16H4.75A2.75 2.75 0 0 1 2 13.25v-1a.75.75 0 0 1 .75-.75 1.5 1.5 0 0 0 0-3A.75.75 0 0 1 2 7.75v-1Z" />
                      </svg>
                      <span className="hidden min-[400px]:inline sm:hidden">Tickets</span>
                      <span className="hidden sm:inline">My bookings</span>
                    </NavLink>
                  </li>
                ) : null}
                <ManageNavItems />
                {signedIn ? (
                  <li>
                    <NavLink
                      to="/door"
                      aria-label="Door check"
                      className={({ isActive }) => `${navLinkClass({ isActive })} flex items-center max-sm:px-2`}
                    >
                      {/* Phones get a scanner icon (the label stays the accessible name) to keep the header on one line. */}
                      <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" aria-hidden="true" className="-mx-1 h-5 w-5 sm:hidden">
                        <path d="M3 7V4.5A1.5 1.5 0 0 1 4.5 3H7m6 0h2.5A1.5 1.5 0 0 1 17 4.5V7m0 6v2.5a1.5 1.5 0 0 1-1.5 1.5H13m-6 0H4.5A1.5 1.5 0 0 1 3 15.5V13m3.5-3h7" />
                      </svg>
                      <span className="max-sm:sr-only">Door</span>
                    </NavLink>
                  </li>
                ) : null}
              </ul>
            </nav>
            <AccountNav />
          </div>
        </div>
      </header>

      <main id="main" tabIndex={-1} className="flex-1 focus:outline-none">
        <Outlet />
      </main>

      <footer className="border-t border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-8 text-sm text-slate-600 sm:flex-row sm:items-center sm:justify-between sm:px-6 lg:px-8">
          <p>
            <span className="font-semibold text-slate-800">Boxoffice</span> · open-source event ticketing
          </p>
          <p>© {new Date().getFullYear()} Boxoffice contributors</p>
        </div>
      </footer>
      <ScrollRestoration />
    </div>
  );
}
