import { useMemo, useState } from "react";
import { Link } from "react-router";
import { Alert } from "../../components/Alert";
import { BarChart } from "../../components/charts/BarChart";
import { HorizontalBars } from "../../components/charts/HorizontalBars";
import { timeSeries } from "../../components/charts/series";
import { StatCard } from "../../components/StatCard";
import { usePageTitle } from "../../components/usePageTitle";
import { formatMoney } from "../../lib/format";
import { describeProblem } from "../organizer/errors";
import { netMinor, revenueByCurrency, saleDate } from "../organizer/sales";
import { BOOKING_STATUS_LABELS } from "../organizer/StatusChip";
import { AdminNav } from "./AdminNav";
import { useAdminBookingCountQuery, useAdminRecentSalesQuery, useAdminUserCountQuery, type BookingStatus } from "./adminApi";

const DAYS = 30;
const ROLES = [
  { role: "customer", label: "Customers" },
  { role: "organizer", label: "Organizers" },
  { role: "admin", label: "Admins" },
] as const;
const STATUSES: BookingStatus[] = ["confirmed", "pending_payment", "cancelled", "expired"];

/** `/admin`: platform figures computed from the API's listing totals and recent bookings. */
export function AdminOverviewPage() {
  usePageTitle("Admin overview");
  const [range] = useState(() => {
    const now = new Date();
    const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (DAYS - 1));
    return { from, to: now, since: from.toISOString() };
  });
  const customers = useAdminUserCountQuery("customer");
  const organizers = useAdminUserCountQuery("organizer");
  const admins = useAdminUserCountQuery("admin");
  const confirmed = useAdminBookingCountQuery("confirmed");
  const pending = useAdminBookingCountQuery("pending_payment");
  const cancelled = useAdminBookingCountQuery("cancelled");
  const expired = useAdminBookingCountQuery("expired");
  const recent = useAdminRecentSalesQuery(range.since);

  const userQueries = { customer: customers, organizer: organizers, admin: admins };
  const bookingQueries = { confirmed, pending_payment: pending, cancelled, expired };
  const usersTotal = ROLES.reduce((sum, r) => sum + (userQueries[r.role].data ?? 0), 0);
  const usersLoading = ROLES.some((r) => userQueries[r.role].isLoading);
  const bookingsLoading = STATUSES.some((s) => bookingQueries[s].isLoading);
  const failed = [...ROLES.map((r) => userQueries[r.role]), ...STATUSES.map((s) => bookingQueries[s]), recent].find((q) => q.isError);

  const bookings = recent.data?.bookings ?? [];
  const revenue = useMemo(() => [...revenueByCurrency(bookings).entries()].sort((a, b) => b[1] - a[1]), [bookings]);
  const mainCurrency = revenue[0]?.[0] ?? "EUR";
  const perDay = useMemo(() => timeSeries(bookings, saleDate, () => 1, { from: range.from, to: range.to }), [bookings, range]);
  const revenuePerDay = useMemo(
    () =>
      timeSeries(
        bookings.filter((b) => b.currency === mainCurrency),
        saleDate,
        netMinor,
        { from: range.from, to: range.to },
      ),
    [bookings, mainCurrency, range],
  );
  const n = (value: number | undefined, loading: boolean) => (loading ? "…" : value === undefined ? "—" : value.toLocaleString());

  return (
    <>
      <AdminNav />
      <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8 lg:px-8">
        <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">Platform overview</h1>
        <p className="mt-1 text-sm text-slate-600">Users, bookings and the last {DAYS} days of sales.</p>

        {failed ? (
          <Alert tone="error" className="mt-4">
            Some figures couldn't be loaded. {describeProblem(failed.error).message}
          </Alert>
        ) : null}

        <dl className="mt-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
          <StatCard label="Users" value={n(usersTotal, usersLoading)} detail={organizers.data === 1 ? "1 organizer" : `${n(organizers.data, organizers.isLoading)} organizers`} />
          <StatCard label="Confirmed bookings" value={n(confirmed.data, confirmed.isLoading)} detail="All time" />
          <StatCard
            label={`Revenue, ${DAYS} days`}
            value={recent.isLoading ? "…" : recent.isError ? "—" : `${recent.data?.complete ? "" : "≥ "}${formatMoney(revenue[0]?.[1] ?? 0, mainCurrency)}`}
            detail={
              revenue.length > 1
                ? `Also ${revenue
                    .slice(1)
                    .map(([c, v]) => formatMoney(v, c))
                    .join(", ")}`
                : "Confirmed, minus refunds"
            }
          />
          <StatCard label="Awaiting payment" value={n(pending.data, pending.isLoading)} detail="Open checkouts" />
        </dl>

        <div className="mt-6 grid gap-4 lg:grid-cols-2">
          <BarChart
            title={`Confirmed bookings per day (last ${DAYS} days)`}
            data={perDay.data}
            valueLabel="Bookings"
            emptyText={recent.isLoading ? "Loading…" : "No bookings in this period."}
          />
          <BarChart
            title={`Revenue per day in ${mainCurrency} (last ${DAYS} days)`}
            data={revenuePerDay.data}
            valueLabel={`Revenue (${mainCurrency})`}
            formatValue={(v) => formatMoney(v, mainCurrency)}
            emptyText={recent.isLoading ? "Loading…" : "No revenue in this period."}
          />
          <HorizontalBars
            title="Bookings by status"
            emptyText={bookingsLoading ? "Loading…" : "No bookings yet."}
            rows={
              bookingsLoading
                ? []
                : STATUSES.map((s) => ({ key: s, label: BOOKING_STATUS_LABELS[s], value: bookingQueries[s].data ?? 0, valueText: n(bookingQueries[s].data, false) }))
            }
          />
          <HorizontalBars
            title="Users by role"
            emptyText={usersLoading ? "Loading…" : "No users yet."}
            rows={usersLoading ? [] : ROLES.map((r) => ({ key: r.role, label: r.label, value: userQueries[r.role].data ?? 0, valueText: n(userQueries[r.role].data, false) }))}
          />
        </div>
        {recent.data && !recent.data.complete ? (
          <p className="mt-3 text-sm text-slate-600">The charts use the {bookings.length} most recent confirmed bookings of the period.</p>
        ) : null}

        <div className="mt-8 grid gap-4 sm:grid-cols-3">
          <Link to="/admin/users" className="group rounded-2xl border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-300">
            <span className="font-semibold text-slate-900 group-hover:text-brand-700">Manage users →</span>
            <span className="mt-1 block text-sm text-slate-600">Change roles, disable accounts.</span>
          </Link>
          <Link to="/admin/bookings" className="group rounded-2xl border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-300">
            <span className="font-semibold text-slate-900 group-hover:text-brand-700">All bookings →</span>
            <span className="mt-1 block text-sm text-slate-600">Search every booking on the platform.</span>
          </Link>
          <Link to="/organizer" className="group rounded-2xl border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-300">
            <span className="font-semibold text-slate-900 group-hover:text-brand-700">Organizer area →</span>
            <span className="mt-1 block text-sm text-slate-600">Your own events, ticket types and coupons.</span>
          </Link>
        </div>
      </div>
    </>
  );
}

