import { forwardRef, useId, type ReactNode, type SelectHTMLAttributes } from "react";
import { asErrors, FieldMessage } from "./FieldMessage";

export interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  error?: string | string[] | undefined;
  hint?: ReactNode;
  containerClassName?: string;
}

/** A labelled `<select>` whose errors sit under it (`aria-invalid`, `aria-describedby`). */
export const SelectField = forwardRef<HTMLSelectElement, SelectFieldProps>(function SelectField(
  { label, error, hint, containerClassName = "", id, className = "", children, ...select },
  ref,
) {
  const autoId = useId();
  const selectId = id ?? autoId;
  const errors = asErrors(error);
  const errorId = errors.length ? `${selectId}-error` : undefined;
  const hintId = hint ? `${selectId}-hint` : undefined;
  return (
    <div className={containerClassName}>
      <label htmlFor={selectId} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        ref={ref}
        id={selectId}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(" ") || undefined}
        className={`mt-1.5 block h-11 w-full min-w-0 rounded-lg border-0 bg-white py-2 pr-8 pl-3 text-slate-900 shadow-sm ring-1 ring-inset focus:ring-2 focus:outline-none disabled:bg-slate-50 disabled:text-slate-500 ${
          errors.length ? "ring-red-500 focus:ring-red-600" : "ring-slate-300 focus:ring-brand-600"
        } ${className}`}
        {...select}
      >
        {children}
      </select>
      {errorId ? <FieldMessage id={errorId} errors={errors} /> : null}
      {hint ? (
        <div id={hintId} className="mt-1.5 text-sm text-slate-600">
          {hint}
        </div>
      ) : null}
    </div>
  );
});
