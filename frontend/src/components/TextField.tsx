import { forwardRef, useId, type InputHTMLAttributes, type ReactNode } from "react";

export interface TextFieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  /** One message, or several (e.g. every password rule the server says is broken). */
  error?: string | string[] | undefined;
  hint?: ReactNode;
  /** Extra ids for `aria-describedby` (e.g. a checklist rendered elsewhere). */
  describedBy?: string | undefined;
  /** Shown right of the label (e.g. a "Forgot password?" link). */
  labelAside?: ReactNode;
  /** Rendered inside the input's right edge (e.g. a show/hide button). */
  trailing?: ReactNode;
  containerClassName?: string;
}

/**
 * A labelled input whose errors sit next to it and are tied to it for assistive technology
 * (`aria-invalid`, `aria-describedby`).
 */
export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField(
  { label, error, hint, describedBy, labelAside, trailing, containerClassName = "", id, className = "", ...input },
  ref,
) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const errors = error === undefined ? [] : Array.isArray(error) ? error : [error];
  const invalid = errors.length > 0;
  const errorId = invalid ? `${inputId}-error` : undefined;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const describedByIds = [errorId, hintId, describedBy].filter(Boolean).join(" ") || undefined;

  return (
    <div className={containerClassName}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-2">
        <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
          {label}
        </label>
        {labelAside}
      </div>
      <div className="relative mt-1.5">
        <input
          ref={ref}
          id={inputId}
          aria-invalid={invalid || undefined}
          aria-describedby={describedByIds}
          className={`block w-full rounded-lg border-0 bg-white px-3 py-2.5 text-slate-900 shadow-sm ring-1 ring-inset placeholder:text-slate-500 focus:ring-2 focus:outline-none disabled:bg-slate-50 disabled:text-slate-500 ${
            invalid ? "ring-red-500 focus:ring-red-600" : "ring-slate-300 focus:ring-brand-600"
          } ${trailing ? "pr-20" : ""} ${className}`}
          {...input}
        />
        {trailing ? <div className="absolute inset-y-0 right-0 flex items-center pr-1.5">{trailing}</div> : null}
      </div>
      {invalid ? (
        <div id={errorId} className="mt-1.5 flex gap-1.5 text-sm text-red-700">
          <svg viewBox="0 0 20 20" fill="currentColor" className="mt-0.5 h-4 w-4 shrink-0" aria-hidden="true" focusable="false">
            <path fillRule="evenodd" clipRule="evenodd" d="M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-8-5a.75.75 0 0 1 .75.75v4.5a.75.75 0 0 1-1.5 0v-4.5A.75.75 0 0 1 10 5Zm0 10a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" />
          </svg>
          {errors.length === 1 ? (
            <p>{errors[0]}</p>
          ) : (
            <ul className="space-y-0.5">
              {errors.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </div>
      ) : null}
      {hint ? (
        <div id={hintId} className="mt-1.5 text-sm text-slate-600">
          {hint}
        </div>
      ) : null}
    </div>
  );
});
