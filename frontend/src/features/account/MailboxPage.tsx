import { useAppSelector } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { LoadingButton } from "../../components/LoadingButton";
import { selectCurrentUser } from "../auth/authSlice";
import { describeError } from "../auth/problems";
import { AccountShell } from "./AccountShell";
import { useMyMailQuery, type MailRead } from "./accountApi";
import { linkify } from "./linkify";
import { formatDateTime, timeAgo } from "./time";
import { usePageTitle } from "../../components/usePageTitle";

export function MailboxPage() {
  usePageTitle("Mailbox");
  const user = useAppSelector(selectCurrentUser);
  const mail = useMyMailQuery(user?.id ?? "", { skip: !user, refetchOnMountOrArgChange: true });
  const info = mail.isError ? describeError(mail.error) : null;

  if (info?.code === "outbox_disabled") {
    return (
      <AccountShell title="Mailbox">
        <EmptyState title="Your emails go to your inbox">
          This server sends real email. Look for messages from Boxoffice in {user ? <strong>{user.email}</strong> : "your inbox"}.
        </EmptyState>
      </AccountShell>
    );
  }

  return (
    <AccountShell
      title="Mailbox"
      description="Messages Boxoffice sent to you, newest first: confirmation links, password resets, tickets."
    >
      <Alert tone="info" live={false}>
        <strong className="font-semibold">Demo mode:</strong> emails are shown here instead of being sent.
      </Alert>

      <div className="flex items-center justify-between gap-3">
        <p className="text-sm text-slate-600" aria-live="polite">
          {mail.data?.length ? (mail.data.length === 1 ? "1 message" : `${mail.data.length} messages`) : null}
        </p>
        <LoadingButton variant="secondary" size="sm" loading={mail.isFetching && !mail.isLoading} loadingText="Checking…" onClick={() => void mail.refetch()} disabled={mail.isLoading}>
          Check for new mail
        </LoadingButton>
      </div>

      {mail.isLoading ? (
        <div role="status" aria-busy="true" className="space-y-3">
          <span className="sr-only">Loading your mail…</span>
          {[0, 1].map((i) => (
            <div key={i} aria-hidden="true" className="h-32 animate-pulse rounded-2xl border border-slate-200 bg-white" />
          ))}
        </div>
      ) : info ? (
        <ErrorState title="We couldn't load your mail" message={info.message} onRetry={() => void mail.refetch()} retrying={mail.isFetching} />
      ) : (mail.data ?? []).length === 0 ? (
        <EmptyState title="No mail yet">When Boxoffice emails you, the message appears here.</EmptyState>
      ) : (
        <ul role="list" className="space-y-4" aria-label="Messages">
          {(mail.data ?? []).map((message, index) => (
            <li key={message.id}>
              <MailMessage message={message} defaultOpen={index === 0} />
            </li>
          ))}
        </ul>
      )}
    </AccountShell>
  );
}

function MailMessage({ message, defaultOpen }: { message: MailRead; defaultOpen: boolean }) {
  return (
    <details open={defaultOpen} className="group rounded-2xl border border-slate-200 bg-white shadow-sm">
      <summary className="flex cursor-pointer list-none items-start justify-between gap-3 rounded-2xl p-4 hover:bg-slate-50 sm:p-5 [&::-webkit-details-marker]:hidden">
        <div className="min-w-0">
          <p className="text-base font-semibold text-slate-900">{message.subject}</p>
          <p className="mt-0.5 text-sm text-slate-600">
            To <span className="break-all">{message.to_address}</span> ·{" "}
            <time dateTime={message.created_at} title={formatDateTime(message.created_at)}>
              {timeAgo(message.created_at)}
            </time>
          </p>
        </div>
        <svg viewBox="0 0 20 20" fill="currentColor" className="mt-1 h-5 w-5 shrink-0 text-slate-500 transition-transform group-open:rotate-180" aria-hidden="true" focusable="false">
          <path fillRule="evenodd" clipRule="evenodd" d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z" />
        </svg>
      </summary>
      <div className="border-t border-slate-100 p-4 sm:p-5">
        <pre className="font-sans text-sm leading-relaxed break-words whitespace-pre-wrap text-slate-800">{linkify(message.text_body)}</pre>
      </div>
    </details>
  );
}
