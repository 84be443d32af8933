import { NavLink, Outlet, ScrollRestoration } from "react-router";
import { AccountNav } from "../features/auth/AccountNav";
import { BrandMark } from "./BrandMark";

const navLinkClass = ({ isActive }: { isActive: boolean }) =>
  [
    "rounded-md px-3 py-2 text-sm font-medium transition-colors",
    isActive ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
  ].join(" ");

export function Layout() {
  return (
    <div className="flex min-h-dvh flex-col">
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
            <span className="text-lg font-semibold tracking-tight text-slate-900">Boxoffice</span>
          </NavLink>
          <div className="flex items-center gap-1 sm:gap-3">
            <nav aria-label="Main">
              <ul className="flex items-center gap-1">
                <li>
                  <NavLink to="/" end className={navLinkClass}>
                    Events
                  </NavLink>
                </li>
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
