import { useState, type FormEvent } from "react";
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from "react-router";
import { useAppSelector } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { LoadingButton } from "../../components/LoadingButton";
import { PasswordField } from "../../components/PasswordField";
import { TextField } from "../../components/TextField";
import { useLoginMutation } from "./authApi";
import { AuthCard, linkClass } from "./AuthCard";
import { selectAuthStatus, selectSessionEndReason, type SessionEndReason } from "./authSlice";
import { emailError, hasErrors, pickFieldErrors, useFormFocus, type FieldErrors } from "./forms";
import { authUrl, safeNext } from "./navigation";
import { OAuthButtons } from "./OAuthButtons";
import { describeError, oauthErrorMessage } from "./problems";
import { usePageTitle } from "../../components/usePageTitle";

type Field = "email" | "password";
const FIELDS: readonly Field[] = ["email", "password"];

const ENDED: Record<SessionEndReason, { tone: "info" | "warning" | "success"; text: string }> = {
  signed_out: { tone: "success", text: "You're signed out. See you soon!" },
  expired: { tone: "info", text: "Your session has ended. Please sign in again." },
  reused: {
    tone: "warning",
    text: "For your safety we signed you out: this sign-in was used from somewhere else. Please sign in again.",
  },
  password_reset: { tone: "success", text: "Your password was changed. Sign in with your new password." },
};

export function LoginPage() {
  usePageTitle("Sign in");
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const oauthError = params.get("oauth_error");
  const status = useAppSelector(selectAuthStatus);
  const endedReason = useAppSelector(selectSessionEndReason);
  const navigate = useNavigate();
  const location = useLocation();
  const justSignedOut = (location.state as { signedOut?: boolean } | null)?.signedOut === true;
  const [login, { isLoading }] = useLoginMutation();
  const { formRef, alertRef, focusProblem } = useFormFocus();

  const [email, setEmail] = useState(params.get("email") ?? "");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<{ message: string; code: string | undefined } | null>(null);
  const [submitted, setSubmitted] = useState(false);

  // Already signed in (e.g. a reload of /login): straight on.
  if (status === "authenticated" && !submitted && !justSignedOut) return <Navigate to={next} replace />;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: FieldErrors<Field> = {};
    const badEmail = emailError(email);
    if (badEmail) found.email = [badEmail];
    if (!password) found.password = ["Enter your password."];
    setErrors(found);
    setFormError(null);
    if (hasErrors(found)) {
      focusProblem();
      return;
    }
    setSubmitted(true);
    const result = await login({ email: email.trim(), password });
    if ("data" in result) {
      await navigate(next, { replace: true });
      return;
    }
    setSubmitted(false);
    const info = describeError(result.error);
    setErrors(pickFieldErrors(info.fields, FIELDS));
    setFormError({ message: info.message, code: info.code });
    focusProblem();
  }

  const ended = endedReason ? ENDED[endedReason] : null;

  return (
    <AuthCard
      title="Sign in"
      subtitle="Welcome back. Sign in to book tickets and manage your account."
      footer={
        <>
          New to Boxoffice?{" "}
          <Link to={authUrl("/register", next)} className={linkClass}>
            Create an account
          </Link>
        </>
      }
    >
      <div className="space-y-4">
        {oauthError ? (
          <Alert tone="error" title="Sign-in didn't work">
            {oauthErrorMessage(oauthError)}
          </Alert>
        ) : null}
        {ended && !formError && !oauthError ? <Alert tone={ended.tone}>{ended.text}</Alert> : null}
        {formError ? (
          <Alert ref={alertRef} tone="error">
            <p>{formError.message}</p>
            {formError.code === "account_locked" || formError.code === "invalid_credentials" ? (
              <p className="mt-1">
                <Link to="/forgot-password" className="font-semibold underline underline-offset-2">
                  Reset your password
                </Link>
              </p>
            ) : null}
          </Alert>
        ) : null}
      </div>

      <form ref={formRef} noValidate onSubmit={submit} className="mt-4 space-y-5" aria-label="Sign in">
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          inputMode="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
          required
        />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.password}
          required
          labelAside={
            <Link to="/forgot-password" className="text-sm font-medium text-brand-700 hover:underline">
              Forgot password?
            </Link>
          }
        />
        <LoadingButton type="submit" loading={isLoading} loadingText="Signing in…" className="w-full">
          Sign in
        </LoadingButton>
      </form>

      <OAuthButtons next={next} />
    </AuthCard>
  );
}
