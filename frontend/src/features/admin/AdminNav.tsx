import { NavLink } from "react-router";

const tab = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium ${
    isActive ? "bg-white text-brand-700 shadow-sm ring-1 ring-slate-200" : "text-slate-700 hover:bg-white/70 hover:text-slate-900"
  }`;

/** Second row of navigation on the admin pages. */
export function AdminNav() {
  return (
    <div className="border-b border-slate-200 bg-slate-50">
      <nav aria-label="Admin" className="mx-auto max-w-6xl overflow-x-auto px-4 py-2 sm:px-6 lg:px-8">
        <ul className="flex items-center gap-1">
          <li>
            <NavLink to="/admin" end className={tab}>
              Overview
            </NavLink>
          </li>
          <li>
            <NavLink to="/admin/bookings" className={tab}>
              Bookings
            </NavLink>
          </li>
          <li>
            <NavLink to="/admin/users" className={tab}>
              Users
            </NavLink>
          </li>
        </ul>
      </nav>
    </div>
  );
}
