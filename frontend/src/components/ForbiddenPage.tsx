import { Link } from "react-router";
import { usePageTitle } from "./usePageTitle";

/** Shown in place of a page the signed-in person's role may not open (HTTP 403). */
export function ForbiddenPage() {
  usePageTitle("No access");
  return (
    <section aria-labelledby="forbidden-title" className="mx-auto max-w-2xl px-4 py-24 text-center sm:px-6">
      <p className="text-sm font-semibold text-brand-700">403</p>
      <h1 id="forbidden-title" className="mt-2 text-3xl font-bold tracking-tight text-slate-900 sm:text-4xl">
        You don't have access to this page
      </h1>
      <p className="mt-4 text-base text-slate-600">
        Your account doesn't have the role this page needs. If you think it should, ask a Boxoffice admin.
      </p>
      <div className="mt-8 flex flex-col items-center justify-center gap-3 sm:flex-row">
        <Link
          to="/"
          className="inline-flex rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
        >
          Browse events
        </Link>
        <Link
          to="/account"
          className="inline-flex rounded-lg bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
        >
          Your account
        </Link>
      </div>
    </section>
  );
}
