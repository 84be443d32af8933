import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { Alert } from "../../components/Alert";
import { LoadingButton } from "../../components/LoadingButton";
import { TextField } from "../../components/TextField";
import { useForgotPasswordMutation } from "./authApi";
import { AuthCard, linkClass } from "./AuthCard";
import { emailError, useFormFocus } from "./forms";
import { describeError } from "./problems";
import { usePageTitle } from "../../components/usePageTitle";

export function ForgotPasswordPage() {
  usePageTitle("Reset your password");
  const [forgot, { isLoading }] = useForgotPasswordMutation();
  const { formRef, alertRef, focusProblem } = useFormFocus();
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const bad = emailError(email);
    setError(bad);
    setFormError(null);
    if (bad) {
      focusProblem();
      return;
    }
    const result = await forgot(email.trim());
    if ("data" in result && result.data) {
      setSent(result.data.message);
      return;
    }
    const info = describeError(result.error);
    setError(info.fields.email?.join(" "));
    setFormError(info.message);
    focusProblem();
  }

  return (
    <AuthCard
      title="Reset your password"
      subtitle="Enter the email address of your account and we'll send you a link to choose a new password."
      footer={
        <Link to="/login" className={linkClass}>
          Back to sign in
        </Link>
      }
    >
      {sent ? (
        <Alert tone="success" title="Check your email">
          <p>{sent}</p>
          <p className="mt-1">The link works for a limited time. Didn't get it? Check your spam folder or try again.</p>
        </Alert>
      ) : null}
      {formError ? (
        <Alert ref={alertRef} tone="error">
          {formError}
        </Alert>
      ) : null}
      <form ref={formRef} noValidate onSubmit={submit} className="mt-4 space-y-5" aria-label="Reset password">
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          inputMode="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={error}
          required
        />
        <LoadingButton type="submit" loading={isLoading} loadingText="Sending…" className="w-full">
          {sent ? "Send another link" : "Send reset link"}
        </LoadingButton>
      </form>
    </AuthCard>
  );
}
