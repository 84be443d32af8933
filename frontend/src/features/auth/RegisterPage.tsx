import { useId, useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { useAppSelector } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { LoadingButton } from "../../components/LoadingButton";
import { PasswordField } from "../../components/PasswordField";
import { TextField } from "../../components/TextField";
import { useLoginMutation, useRegisterMutation } from "./authApi";
import { AuthCard, linkClass } from "./AuthCard";
import { selectAuthStatus } from "./authSlice";
import { emailError, hasErrors, pickFieldErrors, useFormFocus, type FieldErrors } from "./forms";
import { authUrl, safeNext } from "./navigation";
import { OAuthButtons } from "./OAuthButtons";
import { meetsPasswordRules, PasswordChecklist } from "./PasswordChecklist";
import { describeError } from "./problems";
import { usePageTitle } from "../../components/usePageTitle";

type Field = "full_name" | "email" | "password";
const FIELDS: readonly Field[] = ["full_name", "email", "password"];

export function RegisterPage() {
  usePageTitle("Create account");
  const [params] = useSearchParams();
  const requestedNext = params.get("next");
  const next = safeNext(requestedNext, "/account");
  const status = useAppSelector(selectAuthStatus);
  const navigate = useNavigate();
  const [register, registerState] = useRegisterMutation();
  const [login, loginState] = useLoginMutation();
  const { formRef, alertRef, focusProblem } = useFormFocus();
  const checklistId = useId();

  const [fullName, setFullName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [existingAccount, setExistingAccount] = useState(false);
  const [submitted, setSubmitted] = useState(false);

  if (status === "authenticated" && !submitted) return <Navigate to={safeNext(requestedNext)} replace />;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: FieldErrors<Field> = {};
    if (!fullName.trim()) found.full_name = ["Enter your name."];
    const badEmail = emailError(email);
    if (badEmail) found.email = [badEmail];
    if (!password) found.password = ["Choose a password."];
    else if (!meetsPasswordRules(password)) found.password = ["Your password doesn't meet the requirements yet."];
    setErrors(found);
    setFormError(null);
    setExistingAccount(false);
    if (hasErrors(found)) {
      focusProblem();
      return;
    }

    setSubmitted(true);
    const credentials = { email: email.trim(), password };
    const registered = await register({ ...credentials, full_name: fullName.trim() });
    if ("error" in registered) {
      setSubmitted(false);
      const info = describeError(registered.error);
      setErrors(pickFieldErrors(info.fields, FIELDS));
      setFormError(info.message);
      focusProblem();
      return;
    }

    // The answer is the same whether or not the address was new: signing in tells them apart.
    const signedIn = await login(credentials);
    if ("data" in signedIn) {
      await navigate(next, { replace: true, state: { welcome: true } });
      return;
    }
    setSubmitted(false);
    setExistingAccount(true);
    focusProblem();
  }

  const busy = registerState.isLoading || loginState.isLoading;

  return (
    <AuthCard
      title="Create your account"
      subtitle="Book tickets in seconds and keep them all in one place."
      footer={
        <>
          Already have an account?{" "}
          <Link to={authUrl("/login", requestedNext)} className={linkClass}>
            Sign in
          </Link>
        </>
      }
    >
      {existingAccount ? (
        <Alert ref={alertRef} tone="info" title="If you already have an account, sign in or reset your password">
          <p className="flex flex-wrap gap-x-4 gap-y-1">
            <Link to={authUrl("/login", requestedNext, { email: email.trim() })} className={linkClass}>
              Sign in
            </Link>
            <Link to="/forgot-password" className={linkClass}>
              Reset your password
            </Link>
          </p>
        </Alert>
      ) : null}
      {formError ? (
        <Alert ref={alertRef} tone="error">
          {formError}
        </Alert>
      ) : null}

      <form ref={formRef} noValidate onSubmit={submit} className="mt-4 space-y-5" aria-label="Create account">
        <TextField
          label="Full name"
          name="full_name"
          autoComplete="name"
          value={fullName}
          onChange={(e) => setFullName(e.target.value)}
          error={errors.full_name}
          maxLength={200}
          required
        />
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
        <div>
          <PasswordField
            label="Password"
            name="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
            describedBy={checklistId}
            maxLength={128}
            required
          />
          <PasswordChecklist id={checklistId} password={password} />
        </div>
        <LoadingButton type="submit" loading={busy} loadingText="Creating your account…" className="w-full">
          Create account
        </LoadingButton>
      </form>

      <OAuthButtons next={next} />
    </AuthCard>
  );
}
