/** The error line under a form control (the same look as TextField's), tied to it by `id`. */
export function FieldMessage({ id, errors }: { id: string; errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <div id={id} className="mt-1.5 flex gap-1.5 text-sm text-red-700">
      <svg viewBox="0 0 20 20" fill="currentColor" className="mt-0.5 h-4 w-4 shrink-0" aria-hidden="true" focusable="false">
        <path
          fillRule="evenodd"
          clipRule="evenodd"
          d="M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-8-5a.75.75 0 0 1 .75.75v4.5a.75.75 0 0 1-1.5 0v-4.5A.75.75 0 0 1 10 5Zm0 10a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
        />
      </svg>
      {errors.length === 1 ? (
        <p className="min-w-0 break-words">{errors[0]}</p>
      ) : (
        <ul className="min-w-0 space-y-0.5 break-words">
          {errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** `error` as a list: nothing, one message or several. */
export function asErrors(error: string | string[] | undefined): string[] {
  return error === undefined ? [] : Array.isArray(error) ? error : [error];
}
