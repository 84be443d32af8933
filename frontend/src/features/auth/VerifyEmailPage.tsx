import { useEffect, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useAppSelector } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { LoadingButton } from "../../components/LoadingButton";
import { PageSpinner } from "../../components/Spinner";
import { useResendVerificationMutation, useVerifyEmailMutation } from "./authApi";
import { AuthCard, linkClass } from "./AuthCard";
import { selectAuthStatus } from "./authSlice";
import { describeError } from "./problems";
import { usePageTitle } from "../../components/usePageTitle";

const primaryLink =
  "mt-6 inline-flex w-full items-center justify-center rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700";

export function VerifyEmailPage() {
  usePageTitle("Confirm your email");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const signedIn = useAppSelector(selectAuthStatus) === "authenticated";
  const [verify, verifyState] = useVerifyEmailMutation();
  const [resend, resendState] = useResendVerificationMutation();
  const sentFor = useRef<string | null>(null);
  const [resent, setResent] = useState<string | null>(null);

  // Each link works once: never send it twice (React's StrictMode runs effects twice).
  useEffect(() => {
    if (token.length < 10 || sentFor.current === token) return;
    sentFor.current = token;
    void verify(token);
  }, [token, verify]);

  async function sendAgain() {
    const result = await resend();
    setResent("data" in result && result.data ? result.data.message : describeError(result.error).message);
  }

  if (token.length < 10) {
    return (
      <AuthCard title="This link is incomplete">
        <Alert tone="error">The confirmation link is missing its code. Open the link from the email again.</Alert>
      </AuthCard>
    );
  }

  if (verifyState.isSuccess) {
    return (
      <AuthCard title="Email confirmed">
        <Alert tone="success">
          Thanks{verifyState.data?.full_name ? `, ${verifyState.data.full_name}` : ""}! Your email address is confirmed, so
          you can book paid tickets.
        </Alert>
        {signedIn ? (
          <Link to="/account" className={primaryLink}>
            Go to your account
          </Link>
        ) : (
          <Link to="/login" className={primaryLink}>
            Sign in
          </Link>
        )}
      </AuthCard>
    );
  }

  if (verifyState.isError) {
    const info = describeError(verifyState.error);
    return (
      <AuthCard title="We couldn't confirm your email">
        <Alert tone="error">{info.message}</Alert>
        {resent ? (
          <Alert tone={resendState.isError ? "error" : "success"} className="mt-4">
            {resent}
          </Alert>
        ) : null}
        {signedIn ? (
          <div className="mt-6 flex flex-col gap-3 sm:flex-row">
            <LoadingButton loading={resendState.isLoading} loadingText="Sending…" onClick={() => void sendAgain()}>
              Send a new link
            </LoadingButton>
            <Link to="/account/mailbox" className={`${linkClass} self-center`}>
              Open mailbox
            </Link>
          </div>
        ) : (
          <p className="mt-6 text-sm text-slate-700">
            <Link to="/login?next=%2Faccount" className={linkClass}>
              Sign in
            </Link>{" "}
            to request a new link.
          </p>
        )}
      </AuthCard>
    );
  }

  return <PageSpinner label="Confirming your email…" />;
}
