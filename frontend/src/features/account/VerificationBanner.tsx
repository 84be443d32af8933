import { useState } from "react";
import { Link } from "react-router";
import { Alert } from "../../components/Alert";
import { LoadingButton } from "../../components/LoadingButton";
import { useResendVerificationMutation } from "../auth/authApi";
import type { UserRead } from "../auth/authSlice";
import { describeError } from "../auth/problems";
import { useMyMailQuery } from "./accountApi";

/** For unconfirmed addresses: why it matters, a "Resend link" button and the demo mailbox. */
export function VerificationBanner({ user }: { user: UserRead }) {
  const [resend, { isLoading }] = useResendVerificationMutation();
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  // In demo mode mail lands in the in-app mailbox; with real email this answers 404 outbox_disabled.
  const mailbox = useMyMailQuery(user.id);
  const hasMailbox = !mailbox.isError;

  async function send() {
    const answer = await resend();
    setResult(
      "data" in answer && answer.data
        ? { ok: true, message: answer.data.message }
        : { ok: false, message: describeError(answer.error).message },
    );
  }

  return (
    <Alert
      tone="warning"
      live={false}
      title="Confirm your email to book paid tickets"
      action={
        <>
          <LoadingButton variant="secondary" size="sm" loading={isLoading} loadingText="Sending…" onClick={() => void send()}>
            Resend link
          </LoadingButton>
          {hasMailbox ? (
            <Link
              to="/account/mailbox"
              className="inline-flex items-center rounded-lg px-3 py-1.5 text-sm font-semibold text-amber-950 underline underline-offset-2 hover:bg-amber-100"
            >
              Open mailbox
            </Link>
          ) : null}
        </>
      }
    >
      <p>
        We sent a confirmation link to <strong className="font-semibold break-all">{user.email}</strong>. Open it to confirm
        the address is yours.
      </p>
      <div role="status" aria-live="polite">
        {result ? <p className={`mt-2 font-medium ${result.ok ? "text-emerald-800" : "text-red-800"}`}>{result.message}</p> : null}
      </div>
    </Alert>
  );
}
