import { useId, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { Alert } from "../../components/Alert";
import { LoadingButton } from "../../components/LoadingButton";
import { PasswordField } from "../../components/PasswordField";
import { useChangePasswordMutation } from "../auth/authApi";
import { hasErrors, pickFieldErrors, useFormFocus, type FieldErrors } from "../auth/forms";
import { meetsPasswordRules, PasswordChecklist } from "../auth/PasswordChecklist";
import { describeError } from "../auth/problems";
import { Card } from "./AccountShell";

type Field = "current_password" | "new_password";
const FIELDS: readonly Field[] = ["current_password", "new_password"];

export function ChangePasswordCard() {
  const [change, { isLoading }] = useChangePasswordMutation();
  const { formRef, alertRef, focusProblem } = useFormFocus();
  const checklistId = useId();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setMessage(null);
    const found: FieldErrors<Field> = {};
    if (!current) found.current_password = ["Enter your current password."];
    if (!next) found.new_password = ["Choose a new password."];
    else if (!meetsPasswordRules(next)) found.new_password = ["Your new password doesn't meet the requirements yet."];
    else if (next === current) found.new_password = ["Choose a password different from the current one."];
    setErrors(found);
    if (hasErrors(found)) {
      focusProblem();
      return;
    }
    const result = await change({ current_password: current, new_password: next });
    if (!("error" in result)) {
      setCurrent("");
      setNext("");
      setMessage({ ok: true, text: "Password changed. Your other devices have been signed out." });
      return;
    }
    const info = describeError(result.error);
    const fields = pickFieldErrors(info.fields, FIELDS);
    // The server reports a wrong current password as a whole-request error: show it on the field.
    if (info.code === "wrong_password") fields.current_password = [info.message];
    setErrors(fields);
    setMessage(info.code === "wrong_password" ? null : { ok: false, text: info.message });
    focusProblem();
  }

  return (
    <Card
      title="Password"
      id="password"
      description={
        <>
          Changing it signs out your other devices. Signed up with Google, GitHub or Facebook and never set one?{" "}
          <Link to="/forgot-password" className="font-semibold text-brand-700 hover:underline">
            Set a password by email
          </Link>
          .
        </>
      }
    >
      <form ref={formRef} noValidate onSubmit={submit} className="max-w-md space-y-5" aria-label="Change password">
        {message ? (
          <Alert ref={message.ok ? undefined : alertRef} tone={message.ok ? "success" : "error"}>
            {message.text}
          </Alert>
        ) : null}
        <PasswordField
          label="Current password"
          name="current_password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={errors.current_password}
          required
        />
        <div>
          <PasswordField
            label="New password"
            name="new_password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            error={errors.new_password}
            describedBy={checklistId}
            maxLength={128}
            required
          />
          <PasswordChecklist id={checklistId} password={next} />
        </div>
        <LoadingButton type="submit" loading={isLoading} loadingText="Changing…">
          Change password
        </LoadingButton>
      </form>
    </Card>
  );
}
