import { forwardRef, useId, type ReactNode, type TextareaHTMLAttributes } from "react";
import { asErrors, FieldMessage } from "./FieldMessage";

export interface TextAreaFieldProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  error?: string | string[] | undefined;
  hint?: ReactNode;
  containerClassName?: string;
  /** Hide the visible label (it stays the accessible name), e.g. inside a tab panel with its own title. */
  hideLabel?: boolean;
}

/** A labelled `<textarea>` whose errors sit under it (`aria-invalid`, `aria-describedby`). */
export const TextAreaField = forwardRef<HTMLTextAreaElement, TextAreaFieldProps>(function TextAreaField(
  { label, error, hint, containerClassName = "", hideLabel = false, id, className = "", ...textarea },
  ref,
) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const errors = asErrors(error);
  const errorId = errors.length ? `${inputId}-error` : undefined;
  const hintId = hint ? `${inputId}-hint` : undefined;
  return (
    <div className={containerClassName}>
      <label htmlFor={inputId} className={hideLabel ? "sr-only" : "block text-sm font-medium text-slate-800"}>
        {label}
      </label>
      <textarea
        ref={ref}
        id={inputId}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(" ") || undefined}
        className={`${hideLabel ? "" : "mt-1.5"} block w-full rounded-lg border-0 bg-white px-3 py-2.5 text-slate-900 shadow-sm ring-1 ring-inset placeholder:text-slate-500 focus:ring-2 focus:outline-none disabled:bg-slate-50 disabled:text-slate-500 ${
          errors.length ? "ring-red-500 focus:ring-red-600" : "ring-slate-300 focus:ring-brand-600"
        } ${className}`}
        {...textarea}
      />
      {errorId ? <FieldMessage id={errorId} errors={errors} /> : null}
      {hint ? (
        <div id={hintId} className="mt-1.5 text-sm text-slate-600">
          {hint}
        </div>
      ) : null}
    </div>
  );
});
