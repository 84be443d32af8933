import { useId, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../app/api";
import { useAppDispatch, useAppSelector } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { LoadingButton } from "../../components/LoadingButton";
import { PasswordField } from "../../components/PasswordField";
import { useResetPasswordMutation } from "./authApi";
import { AuthCard, linkClass } from "./AuthCard";
import { selectAuthStatus, sessionEnded } from "./authSlice";
import { useFormFocus } from "./forms";
import { meetsPasswordRules, PasswordChecklist } from "./PasswordChecklist";
import { describeError } from "./problems";
import { usePageTitle } from "../../components/usePageTitle";

export function ResetPasswordPage() {
  usePageTitle("Choose a new password");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const dispatch = useAppDispatch();
  const signedIn = useAppSelector(selectAuthStatus) === "authenticated";
  const [reset, { isLoading }] = useResetPasswordMutation();
  const { formRef, alertRef, focusProblem } = useFormFocus();
  const checklistId = useId();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string[] | undefined>();
  const [formError, setFormError] = useState<{ message: string; code: string | undefined } | null>(null);
  const [done, setDone] = useState(false);

  if (token.length < 10) {
    return (
      <AuthCard title="This link is incomplete">
        <Alert tone="error">
          The reset link is missing its code. Open the link from the email again, or request a new one.
        </Alert>
        <p className="mt-6 text-sm">
          <Link to="/forgot-password" className={linkClass}>
            Request a new link
          </Link>
        </p>
      </AuthCard>
    );
  }

  if (done) {
    return (
      <AuthCard title="Password changed">
        <Alert tone="success">
          Your new password is set. For your safety, every device that was signed in has been signed out.
        </Alert>
        <Link
          to="/login"
          className="mt-6 inline-flex w-full items-center justify-center rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
        >
          Sign in with your new password
        </Link>
      </AuthCard>
    );
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    if (!meetsPasswordRules(password)) {
      setError([password ? "Your password doesn't meet the requirements yet." : "Choose a new password."]);
      focusProblem();
      return;
    }
    setError(undefined);
    const result = await reset({ token, new_password: password });
    if (!("error" in result)) {
      // The server signed out every session, this one included.
      if (signedIn) {
        dispatch(sessionEnded("password_reset"));
        dispatch(api.util.resetApiState());
      }
      setDone(true);
      return;
    }
    const info = describeError(result.error);
    setError(info.fields.new_password);
    setFormError({ message: info.message, code: info.code });
    focusProblem();
  }

  return (
    <AuthCard title="Choose a new password" subtitle="Pick something you don't use anywhere else.">
      {formError ? (
        <Alert ref={alertRef} tone="error">
          <p>{formError.message}</p>
          {formError.code === "invalid_token" ? (
            <p className="mt-1">
              <Link to="/forgot-password" className="font-semibold underline underline-offset-2">
                Request a new link
              </Link>
            </p>
          ) : null}
        </Alert>
      ) : null}
      <form ref={formRef} noValidate onSubmit={submit} className="mt-4 space-y-5" aria-label="Choose a new password">
        <div>
          <PasswordField
            label="New password"
            name="new_password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={error}
            describedBy={checklistId}
            maxLength={128}
            required
          />
          <PasswordChecklist id={checklistId} password={password} />
        </div>
        <LoadingButton type="submit" loading={isLoading} loadingText="Saving…" className="w-full">
          Set new password
        </LoadingButton>
      </form>
    </AuthCard>
  );
}
