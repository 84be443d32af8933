import { useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { useAppSelector } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { LoadingButton } from "../../components/LoadingButton";
import { Spinner } from "../../components/Spinner";
import { selectCurrentUser } from "../auth/authSlice";
import { describeError } from "../auth/problems";
import { formatDate } from "../account/time";
import {
  useChangeRoleMutation,
  useListUsersInfiniteQuery,
  useSetActiveMutation,
  type Role,
  type UserFilters,
  type UserRead,
} from "./usersApi";
import { usePageTitle } from "../../components/usePageTitle";
import { SelectField } from "../../components/SelectField";
import { SearchWithFilter } from "../../components/SearchWithFilter";
import { LoadMore } from "../../components/LoadMore";

const ROLES: readonly Role[] = ["admin", "organizer", "customer"];
const ROLE_LABELS: Record<Role, string> = { admin: "Admin", organizer: "Organizer", customer: "Customer" };
const ROLE_POWERS: Record<Role, string> = {
  admin: "Admins can manage every user, event and booking.",
  organizer: "Organizers can publish events and see their bookings.",
  customer: "Customers can book tickets.",
};

/** "an admin", "an organizer", "a customer". */
function withArticle(role: Role): string {
  const label = ROLE_LABELS[role].toLowerCase();
  return `${/^[aeiou]/.test(label) ? "an" : "a"} ${label}`;
}

function isRole(value: string | null): value is Role {
  return value !== null && (ROLES as readonly string[]).includes(value);
}

type Pending =
  | { kind: "role"; user: UserRead; role: Role }
  | { kind: "disable"; user: UserRead };

const selectClass =
  "block w-full rounded-lg border-0 bg-white py-2 pr-8 pl-3 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-600 focus:outline-none disabled:opacity-60";

export function UsersPage() {
  usePageTitle("Users");
  const [params, setParams] = useSearchParams();
  const q = params.get("q")?.trim() ?? "";
  const roleParam = params.get("role");
  const roleFilter = isRole(roleParam) ? roleParam : null;
  // One shape for the cache key, used by the listing and by the optimistic updates.
  const filters = useMemo<UserFilters>(() => ({ ...(q ? { q } : {}), ...(roleFilter ? { role: roleFilter } : {}) }), [q, roleFilter]);

  const me = useAppSelector(selectCurrentUser);
  const list = useListUsersInfiniteQuery(filters);
  const [changeRole] = useChangeRoleMutation();
  const [setActive] = useSetActiveMutation();

  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);
  const [pending, setPending] = useState<Pending | null>(null);
  const [saving, setSaving] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<{ ok: boolean; title?: string; text: string } | null>(null);

  function updateParams(next: { q?: string; role?: Role | null }) {
    setParams((prev) => {
      const updated = new URLSearchParams(prev);
      if (next.q !== undefined) {
        if (next.q) updated.set("q", next.q);
        else updated.delete("q");
      }
      if (next.role !== undefined) {
        if (next.role) updated.set("role", next.role);
        else updated.delete("role");
      }
      return updated;
    });
  }

  async function run(user: UserRead, action: () => Promise<{ data: UserRead } | { error: unknown }>, success: string) {
    setNotice(null);
    setSaving((s) => new Set(s).add(user.id));
    const result = await action();
    setSaving((s) => {
      const next = new Set(s);
      next.delete(user.id);
      return next;
    });
    if ("data" in result) {
      setNotice({ ok: true, text: success });
    } else {
      const info = describeError(result.error as Parameters<typeof describeError>[0]);
      setNotice({
        ok: false,
        title: info.code === "last_admin" ? "Boxoffice needs an admin" : `Couldn't update ${nameOf(user)}`,
        text: info.message,
      });
    }
  }

  function confirm() {
    if (!pending) return;
    const { user } = pending;
    setPending(null);
    if (pending.kind === "role") {
      const role = pending.role;
      void run(
        user,
        () => changeRole({ id: user.id, role, filters }),
        `${nameOf(user)} is now ${withArticle(role)}.`,
      );
    } else {
      void run(user, () => setActive({ id: user.id, isActive: false, filters }), `${nameOf(user)} is disabled and signed out everywhere.`);
    }
  }

  function enable(user: UserRead) {
    void run(user, () => setActive({ id: user.id, isActive: true, filters }), `${nameOf(user)} can sign in again.`);
  }

  const pages = list.data?.pages ?? [];
  const users = pages.flatMap((page) => page.items);
  const total = pages[pages.length - 1]?.total ?? 0;
  const filtered = Boolean(q || roleFilter);

  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10 lg:px-8">
      <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">Users</h1>
      <p className="mt-2 text-sm text-slate-600 sm:text-base">Find accounts, change roles and disable access.</p>

      <SearchWithFilter
        className="mt-6"
        searchLabel="Search users"
        placeholder="Name or email"
        query={draft}
        onQueryChange={setDraft}
        onSearch={(query) => updateParams({ q: query })}
        searching={list.isFetching && !list.isFetchingNextPage && !list.isLoading}
      >
        <SelectField
          label="Role"
          value={roleFilter ?? ""}
          onChange={(e) => updateParams({ role: isRole(e.target.value) ? e.target.value : null })}
        >
          <option value="">All roles</option>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABELS[role]}
            </option>
          ))}
        </SelectField>
      </SearchWithFilter>

      <div className="mt-6 space-y-4">
        {notice ? (
          <Alert tone={notice.ok ? "success" : "error"} {...(notice.title ? { title: notice.title } : {})}>
            {notice.text}
          </Alert>
        ) : null}

        {list.isLoading ? (
          <div role="status" aria-busy="true" className="rounded-2xl border border-slate-200 bg-white p-4">
            <span className="sr-only">Loading users…</span>
            <div aria-hidden="true" className="space-y-3">
              {[0, 1, 2, 3].map((i) => (
                <div key={i} className="h-10 animate-pulse rounded-lg bg-slate-100" />
              ))}
            </div>
          </div>
        ) : list.isError && users.length === 0 ? (
          <ErrorState
            title="We couldn't load users"
            message={describeError(list.error).message}
            onRetry={() => void list.refetch()}
            retrying={list.isFetching}
          />
        ) : users.length === 0 ? (
          <EmptyState title={filtered ? "No users match" : "No users yet"}>
            {filtered ? "Try another name, email or role." : null}
          </EmptyState>
        ) : (
          <>
            <p className="text-sm text-slate-600" aria-live="polite">
              Showing {users.length} of {total} {total === 1 ? "user" : "users"}
            </p>
            <UsersTable
              users={users}
              meId={me?.id}
              saving={saving}
              onRole={(user, role) => setPending({ kind: "role", user, role })}
              onDisable={(user) => setPending({ kind: "disable", user })}
              onEnable={enable}
            />
            <LoadMore list={list} />
            {list.isError ? <Alert tone="error">{describeError(list.error).message}</Alert> : null}
          </>
        )}
      </div>

      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === "role"
            ? `Make ${nameOf(pending.user)} ${withArticle(pending.role)}?`
            : pending
              ? `Disable ${nameOf(pending.user)}?`
              : ""
        }
        confirmLabel={pending?.kind === "role" ? "Change role" : "Disable account"}
        tone={pending?.kind === "disable" || (pending?.kind === "role" && pending.user.id === me?.id) ? "danger" : "primary"}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      >
        {pending?.kind === "role" ? (
          <>
            <p>
              {ROLE_LABELS[pending.user.role]} → <strong className="font-semibold text-slate-900">{ROLE_LABELS[pending.role]}</strong>.{" "}
              {ROLE_POWERS[pending.role]}
            </p>
            {pending.user.id === me?.id && pending.role !== "admin" ? (
              <p className="mt-2 font-medium text-red-700">This is your own account: you will lose access to this page.</p>
            ) : null}
          </>
        ) : pending ? (
          <p>They will be signed out on every device and can't sign in until an admin enables the account again.</p>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}

function nameOf(user: UserRead): string {
  return user.full_name.trim() || user.email;
}

const th = "px-4 py-3 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase";
// Below `md` each row is a card: cells stack and show their own labels.
const td = "block px-0 py-1 md:table-cell md:px-4 md:py-3 md:align-middle";
const cellLabel = "mb-1 block text-xs font-semibold tracking-wide text-slate-600 uppercase md:hidden";

function UsersTable({
  users,
  meId,
  saving,
  onRole,
  onDisable,
  onEnable,
}: {
  users: UserRead[];
  meId: string | undefined;
  saving: ReadonlySet<string>;
  onRole: (user: UserRead, role: Role) => void;
  onDisable: (user: UserRead) => void;
  onEnable: (user: UserRead) => void;
}) {
  return (
    <table role="table" className="block w-full md:table md:overflow-hidden md:rounded-2xl md:border md:border-slate-200 md:bg-white md:shadow-sm">
      <caption className="sr-only">Users</caption>
      <thead role="rowgroup" className="hidden bg-slate-50 md:table-header-group">
        <tr role="row">
          <th role="columnheader" scope="col" className={th}>
            User
          </th>
          <th role="columnheader" scope="col" className={th}>
            Role
          </th>
          <th role="columnheader" scope="col" className={th}>
            Status
          </th>
          <th role="columnheader" scope="col" className={th}>
            Joined
          </th>
          <th role="columnheader" scope="col" className={`${th} text-right`}>
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody role="rowgroup" className="grid gap-3 md:table-row-group md:divide-y md:divide-slate-100">
        {users.map((user) => {
          const busy = saving.has(user.id);
          const self = user.id === meId;
          return (
            <tr
              key={user.id}
              role="row"
              aria-busy={busy || undefined}
              className="grid grid-cols-2 gap-x-4 gap-y-2 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm md:table-row md:rounded-none md:border-0 md:p-0 md:shadow-none"
            >
              <td role="cell" className={`${td} col-span-2`}>
                <div className="flex items-center gap-2">
                  <span className="font-semibold break-words text-slate-900">{nameOf(user)}</span>
                  {self ? (
                    <span className="rounded-full bg-brand-50 px-2 py-0.5 text-xs font-semibold text-brand-700 ring-1 ring-brand-100 ring-inset">
                      You
                    </span>
                  ) : null}
                  {busy ? (
                    <span className="inline-flex items-center gap-1 text-xs text-slate-600">
                      <Spinner className="h-3.5 w-3.5" /> Saving…
                    </span>
                  ) : null}
                </div>
                <div className="text-sm break-all text-slate-600">{user.email}</div>
              </td>
              <td role="cell" className={td}>
                <span className={cellLabel} aria-hidden="true">
                  Role
                </span>
                <select
                  aria-label={`Role of ${nameOf(user)}`}
                  value={user.role}
                  aria-disabled={busy || undefined}
                  onChange={(e) => {
                    const role = e.target.value;
                    if (!busy && isRole(role) && role !== user.role) onRole(user, role);
                  }}
                  className={`${selectClass} md:w-36`}
                >
                  {ROLES.map((role) => (
                    <option key={role} value={role}>
                      {ROLE_LABELS[role]}
                    </option>
                  ))}
                </select>
              </td>
              <td role="cell" className={td}>
                <span className={cellLabel} aria-hidden="true">
                  Status
                </span>
                <div className="flex flex-wrap gap-1.5">
                  {user.is_active ? (
                    <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-semibold text-emerald-800 ring-1 ring-emerald-200 ring-inset">
                      Active
                    </span>
                  ) : (
                    <span className="rounded-full bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-800">Disabled</span>
                  )}
                  {user.email_verified ? null : (
                    <span className="rounded-full bg-amber-50 px-2 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-amber-300 ring-inset">
                      Unconfirmed email
                    </span>
                  )}
                </div>
              </td>
              <td role="cell" className={`${td} text-sm text-slate-700`}>
                <span className={cellLabel} aria-hidden="true">
                  Joined
                </span>
                <time dateTime={user.created_at}>{formatDate(user.created_at)}</time>
              </td>
              <td role="cell" className={`${td} md:text-right`}>
                {self ? null : user.is_active ? (
                  <LoadingButton
                    variant="danger-secondary"
                    size="sm"
                    disabled={busy}
                    onClick={() => onDisable(user)}
                    aria-label={`Disable ${nameOf(user)}`}
                    className="w-full md:w-auto"
                  >
                    Disable
                  </LoadingButton>
                ) : (
                  <LoadingButton
                    variant="secondary"
                    size="sm"
                    disabled={busy}
                    onClick={() => onEnable(user)}
                    aria-label={`Enable ${nameOf(user)}`}
                    className="w-full md:w-auto"
                  >
                    Enable
                  </LoadingButton>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
