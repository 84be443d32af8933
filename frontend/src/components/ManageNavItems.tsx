import { NavLink } from "react-router";
import { useAppSelector } from "../app/hooks";
import { selectCurrentUser } from "../features/auth/authSlice";

const navLinkClass = ({ isActive }: { isActive: boolean }) =>
  [
    "flex items-center rounded-md px-2 py-2 text-sm font-medium transition-colors sm:px-3",
    isActive ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
  ].join(" ");

// Narrow phones get icons (the text stays as the accessible name), so the header keeps one line.
const icon = "-mx-1 h-5 w-5 min-[400px]:hidden";
const text = "sr-only min-[400px]:not-sr-only";

/** Header links to the organizer area (organizers and admins) and the admin area (admins). */
export function ManageNavItems() {
  const role = useAppSelector(selectCurrentUser)?.role;
  if (role !== "organizer" && role !== "admin") return null;
  return (
    <>
      {/* Admins on phones reach the organizer area from the admin overview: one icon fewer. */}
      <li className={role === "admin" ? "hidden sm:list-item" : undefined}>
        <NavLink to="/organizer" className={navLinkClass}>
          <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className={icon}>
            <path
              fillRule="evenodd"
              clipRule="evenodd"
              d="M5.75 2a.75.75 0 0 1 .75.75V4h7V2.75a.75.75 0 0 1 1.5 0V4h.25A2.75 2.75 0 0 1 18 6.75v8.5A2.75 2.75 0 0 1 15.25 18H4.75A2.75 2.75 0 0 1 2 15.25v-8.5A2.75 2.75 0 0 1 4.75 4H5V2.75A.75.75 0 0 1 5.75 2Zm-1 5.5c-.69 0-1.25.56-1.25 1.25v6.5c0 .69.56 1.25 1.25 1.25h10.5c.69 0 1.25-.56 1.25-1.25v-6.5c0-.69-.56-1.25-1.25-1.25H4.75ZM10 9.25a.75.75 0 0 1 .75.75v1.25H12a.75.75 0 0 1 0 1.5h-1.25V14a.75.75 0 0 1-1.5 0v-1.25H8a.75.75 0 0 1 0-1.5h1.25V10a.75.75 0 0 1 .75-.75Z"
            />
          </svg>
          <span className={text}>Manage</span>
        </NavLink>
      </li>
      {role === "admin" ? (
        <li>
          <NavLink to="/admin" className={navLinkClass}>
            <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className={icon}>
              <path
                fillRule="evenodd"
                clipRule="evenodd"
                d="M9.661 2.237a.531.531 0 0 1 .678 0 11.947 11.947 0 0 0 7.078 2.749.5.5 0 0 1 .479.425c.069.52.104 1.05.104 1.59 0 5.162-3.26 9.563-7.834 11.256a.48.48 0 0 1-.332 0C5.26 16.564 2 12.163 2 7c0-.538.035-1.069.104-1.589a.5.5 0 0 1 .48-.425 11.947 11.947 0 0 0 7.077-2.75Z"
              />
            </svg>
            <span className={text}>Admin</span>
          </NavLink>
        </li>
      ) : null}
    </>
  );
}
