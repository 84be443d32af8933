import { useEffect, useState, type FormEvent } from "react";
import { Alert } from "../../components/Alert";
import { LoadingButton } from "../../components/LoadingButton";
import { TextField } from "../../components/TextField";
import { useUpdateProfileMutation } from "../auth/authApi";
import type { UserRead } from "../auth/authSlice";
import { useFormFocus } from "../auth/forms";
import { describeError } from "../auth/problems";
import { Card } from "./AccountShell";
import { formatDate } from "./time";

const ROLE_LABELS: Record<UserRead["role"], string> = { admin: "Admin", organizer: "Organizer", customer: "Customer" };

export function ProfileCard({ user }: { user: UserRead }) {
  const [update, { isLoading }] = useUpdateProfileMutation();
  const { formRef, alertRef, focusProblem } = useFormFocus();
  const [name, setName] = useState(user.full_name);
  const [error, setError] = useState<string[] | undefined>();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => setName(user.full_name), [user.full_name]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setMessage(null);
    if (!name.trim()) {
      setError(["Enter your name."]);
      focusProblem();
      return;
    }
    setError(undefined);
    const result = await update({ full_name: name.trim(), userId: user.id });
    if ("data" in result) {
      setMessage({ ok: true, text: "Your profile is saved." });
      return;
    }
    const info = describeError(result.error);
    setError(info.fields.full_name);
    setMessage({ ok: false, text: info.message });
    focusProblem();
  }

  return (
    <Card title="Profile" id="profile">
      <dl className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-3">
        <div className="min-w-0 sm:col-span-1">
          <dt className="font-medium text-slate-600">Email</dt>
          <dd className="mt-1 flex flex-wrap items-center gap-2 text-slate-900">
            <span className="break-all">{user.email}</span>
            {user.email_verified ? (
              <span className="inline-flex items-center rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-semibold text-emerald-800 ring-1 ring-emerald-200 ring-inset">
                Confirmed
              </span>
            ) : (
              <span className="inline-flex items-center rounded-full bg-amber-50 px-2 py-0.5 text-xs font-semibold text-amber-900 ring-1 ring-amber-300 ring-inset">
                Not confirmed
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt className="font-medium text-slate-600">Role</dt>
          <dd className="mt-1 text-slate-900">{ROLE_LABELS[user.role]}</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-600">Member since</dt>
          <dd className="mt-1 text-slate-900">
            <time dateTime={user.created_at}>{formatDate(user.created_at)}</time>
          </dd>
        </div>
      </dl>

      <form ref={formRef} noValidate onSubmit={submit} className="mt-6 space-y-4 border-t border-slate-100 pt-6" aria-label="Profile">
        {message ? (
          <Alert ref={message.ok ? undefined : alertRef} tone={message.ok ? "success" : "error"}>
            {message.text}
          </Alert>
        ) : null}
        <TextField
          label="Full name"
          name="full_name"
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={error}
          maxLength={200}
          required
          containerClassName="max-w-md"
        />
        <LoadingButton type="submit" loading={isLoading} loadingText="Saving…" disabled={name.trim() === user.full_name}>
          Save changes
        </LoadingButton>
      </form>
    </Card>
  );
}
