import { useId, type ReactNode } from "react";
import { NavLink } from "react-router";

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium transition-colors ${
    isActive ? "bg-white text-brand-700 shadow-sm ring-1 ring-slate-200" : "text-slate-700 hover:bg-white/70 hover:text-slate-900"
  }`;

/** Title and section tabs shared by the account pages. */
export function AccountShell({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <div className="mx-auto max-w-3xl px-4 py-8 sm:px-6 sm:py-10 lg:px-8">
      <nav aria-label="Account sections" className="-mx-1 overflow-x-auto">
        <ul className="inline-flex gap-1 rounded-lg bg-slate-100 p-1">
          <li>
            <NavLink to="/account" end className={tabClass}>
              Profile
            </NavLink>
          </li>
          <li>
            <NavLink to="/account/devices" className={tabClass}>
              Devices
            </NavLink>
          </li>
          <li>
            <NavLink to="/account/mailbox" className={tabClass}>
              Mailbox
            </NavLink>
          </li>
        </ul>
      </nav>
      <h1 className="mt-6 text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">{title}</h1>
      {description ? <p className="mt-2 text-sm text-slate-600 sm:text-base">{description}</p> : null}
      <div className="mt-6 space-y-6">{children}</div>
    </div>
  );
}

/** A white rounded section with a heading. */
export function Card({
  title,
  description,
  children,
  id,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  id?: string;
}) {
  const autoId = useId();
  const headingId = id ?? autoId;
  return (
    <section aria-labelledby={headingId} className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
      <h2 id={headingId} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      <div className="mt-5">{children}</div>
    </section>
  );
}
