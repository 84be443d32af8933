import { useEffect, useId, useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { FieldMessage } from "../../components/FieldMessage";

/** Asks for the reason (shown to ticket holders) and explains what cancelling does. */
export function CancelEventDialog({
  open,
  title,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  busy: boolean;
  /** A server error to show in the dialog. */
  error?: string | null;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState(false);
  const id = useId();
  useEffect(() => {
    if (open) {
      setReason("");
      setInvalid(false);
    }
  }, [open]);

  return (
    <ConfirmDialog
      open={open}
      title={`Cancel ${title}?`}
      confirmLabel="Cancel event"
      cancelLabel="Keep event"
      tone="danger"
      busy={busy}
      onCancel={onCancel}
      onConfirm={() => {
        if (reason.trim().length < 3) {
          setInvalid(true);
          return;
        }
        onConfirm(reason.trim());
      }}
    >
      <p>
        Ticket sales stop at once. <strong className="font-semibold text-slate-900">Every paid booking is refunded in full</strong> and ticket
        holders get an email with your reason. This can't be undone.
      </p>
      <div className="mt-4">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          Reason (shown to ticket holders)
        </label>
        <textarea
          id={id}
          rows={3}
          maxLength={500}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            if (e.target.value.trim().length >= 3) setInvalid(false);
          }}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? `${id}-error` : undefined}
          className={`mt-1.5 block w-full rounded-lg border-0 px-3 py-2 text-slate-900 shadow-sm ring-1 ring-inset focus:ring-2 focus:outline-none ${
            invalid ? "ring-red-500 focus:ring-red-600" : "ring-slate-300 focus:ring-brand-600"
          }`}
        />
        <FieldMessage id={`${id}-error`} errors={invalid ? ["Tell ticket holders why (at least 3 characters)."] : []} />
        {error ? (
          <p role="alert" className="mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
            {error}
          </p>
        ) : null}
      </div>
    </ConfirmDialog>
  );
}
