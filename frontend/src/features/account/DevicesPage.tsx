import { useState } from "react";
import { useAppSelector } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorState } from "../../components/ErrorState";
import { LoadingButton } from "../../components/LoadingButton";
import { useRevokeSessionMutation, useSessionsQuery, type SessionRead } from "../auth/authApi";
import { selectCurrentUser } from "../auth/authSlice";
import { describeError } from "../auth/problems";
import { useSignOut } from "../auth/useSignOut";
import { AccountShell, Card } from "./AccountShell";
import { formatDateTime, timeAgo } from "./time";
import { usePageTitle } from "../../components/usePageTitle";

const METHOD_LABELS: Record<string, string> = {
  password: "Email and password",
  "oauth:google": "Google",
  "oauth:github": "GitHub",
  "oauth:facebook": "Facebook",
};

function methodLabel(method: string): string {
  return METHOD_LABELS[method] ?? method.replace(/^oauth:/, "");
}

export function DevicesPage() {
  usePageTitle("Devices");
  const user = useAppSelector(selectCurrentUser);
  const sessions = useSessionsQuery(user?.id ?? "", { skip: !user, refetchOnMountOrArgChange: true });
  const [revoke] = useRevokeSessionMutation();
  const { signOut, pending: signingOut } = useSignOut();
  const [revoking, setRevoking] = useState<string | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);

  async function revokeOne(session: SessionRead) {
    if (!user) return;
    setRevoking(session.id);
    setStatus(null);
    const result = await revoke({ id: session.id, userId: user.id });
    setRevoking(null);
    setStatus(
      "error" in result
        ? { ok: false, text: describeError(result.error).message }
        : { ok: true, text: `${session.device_label} was signed out.` },
    );
  }

  async function signOutEverywhere() {
    const result = await signOut({ everywhere: true, to: "/login" });
    if (result && "error" in result) {
      setConfirmAll(false);
      setStatus({ ok: false, text: describeError(result.error).message });
    }
  }

  const list = sessions.data ?? [];
  const others = list.filter((s) => !s.current).length;

  return (
    <AccountShell
      title="Devices"
      description="Where your account is signed in. Sign out any device you don't recognise, then change your password."
    >
      {status ? <Alert tone={status.ok ? "success" : "error"}>{status.text}</Alert> : null}

      {sessions.isLoading ? (
        <div role="status" aria-busy="true" className="space-y-3">
          <span className="sr-only">Loading your devices…</span>
          {[0, 1].map((i) => (
            <div key={i} aria-hidden="true" className="h-24 animate-pulse rounded-2xl border border-slate-200 bg-white" />
          ))}
        </div>
      ) : sessions.isError ? (
        <ErrorState
          title="We couldn't load your devices"
          message={describeError(sessions.error).message}
          onRetry={() => void sessions.refetch()}
          retrying={sessions.isFetching}
        />
      ) : (
        <ul role="list" className="space-y-3" aria-label="Signed-in devices">
          {list.map((session) => (
            <li
              key={session.id}
              className={`rounded-2xl border bg-white p-4 shadow-sm sm:p-5 ${session.current ? "border-brand-200 ring-1 ring-brand-100" : "border-slate-200"}`}
            >
              <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
                <div className="flex min-w-0 gap-3">
                  <DeviceIcon label={session.device_label} />
                  <div className="min-w-0">
                    <h2 className="flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
                      <span className="break-words">{session.device_label}</span>
                      {session.current ? (
                        <span className="inline-flex items-center rounded-full bg-brand-50 px-2 py-0.5 text-xs font-semibold text-brand-700 ring-1 ring-brand-100 ring-inset">
                          This device
                        </span>
                      ) : null}
                    </h2>
                    <dl className="mt-1 grid gap-x-4 gap-y-0.5 text-sm text-slate-600 sm:grid-cols-2">
                      <div>
                        <dt className="inline">Last active: </dt>
                        <dd className="inline text-slate-800">
                          <time dateTime={session.last_used_at} title={formatDateTime(session.last_used_at)}>
                            {session.current ? "now" : timeAgo(session.last_used_at)}
                          </time>
                        </dd>
                      </div>
                      <div>
                        <dt className="inline">Signed in: </dt>
                        <dd className="inline text-slate-800">
                          <time dateTime={session.created_at}>{formatDateTime(session.created_at)}</time>
                        </dd>
                      </div>
                      <div>
                        <dt className="inline">With: </dt>
                        <dd className="inline text-slate-800">{methodLabel(session.login_method)}</dd>
                      </div>
                      {session.ip_address ? (
                        <div>
                          <dt className="inline">IP address: </dt>
                          <dd className="inline text-slate-800">{session.ip_address}</dd>
                        </div>
                      ) : null}
                    </dl>
                  </div>
                </div>
                <div className="shrink-0 sm:pl-4">
                  {session.current ? (
                    <LoadingButton
                      variant="secondary"
                      size="sm"
                      loading={signingOut && !confirmAll}
                      loadingText="Signing out…"
                      onClick={() => void signOut()}
                      className="w-full sm:w-auto"
                    >
                      Sign out
                    </LoadingButton>
                  ) : (
                    <LoadingButton
                      variant="secondary"
                      size="sm"
                      loading={revoking === session.id}
                      loadingText="Signing out…"
                      onClick={() => void revokeOne(session)}
                      aria-label={`Sign out ${session.device_label}`}
                      className="w-full sm:w-auto"
                    >
                      Sign out
                    </LoadingButton>
                  )}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}

      <Card
        title="Sign out everywhere"
        id="everywhere"
        description={`Ends every session${others > 0 ? `, including ${others} other ${others === 1 ? "device" : "devices"}` : ""}. You'll need to sign in again on this device too.`}
      >
        <LoadingButton variant="danger" onClick={() => setConfirmAll(true)} className="w-full sm:w-auto">
          Sign out everywhere
        </LoadingButton>
      </Card>

      <ConfirmDialog
        open={confirmAll}
        title="Sign out everywhere?"
        confirmLabel="Sign out everywhere"
        tone="danger"
        busy={signingOut}
        onConfirm={() => void signOutEverywhere()}
        onCancel={() => setConfirmAll(false)}
      >
        Every device signed in to your account, this one included, will be signed out.
      </ConfirmDialog>
    </AccountShell>
  );
}

function DeviceIcon({ label }: { label: string }) {
  const mobile = /mobile|iphone|android|ipad/i.test(label);
  return (
    <span aria-hidden="true" className="flex h-10 w-10 shrink-0 items-center justify-center rounded-xl bg-slate-100 text-slate-600">
      {mobile ? (
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" className="h-5 w-5">
          <path strokeLinecap="round" strokeLinejoin="round" d="M10.5 1.5H8.25A2.25 2.25 0 0 0 6 3.75v16.5a2.25 2.25 0 0 0 2.25 2.25h7.5A2.25 2.25 0 0 0 18 20.25V3.75a2.25 2.25 0 0 0-2.25-2.25H13.5m-3 0V3h3V1.5m-3 0h3m-3 18.75h3" />
        </svg>
      ) : (
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" className="h-5 w-5">
          <path strokeLinecap="round" strokeLinejoin="round" d="M9 17.25v1.007a3 3 0 0 1-.879 2.122L7.5 21h9l-.621-.621A3 3 0 0 1 15 18.257V17.25m6-12V15a2.25 2.25 0 0 1-2.25 2.25H5.25A2.25 2.25 0 0 1 3 15V5.25m18 0A2.25 2.25 0 0 0 18.75 3H5.25A2.25 2.25 0 0 0 3 5.25m18 0V12a2.25 2.25 0 0 1-2.25 2.25H5.25A2.25 2.25 0 0 1 3 12V5.25" />
        </svg>
      )}
    </span>
  );
}
