import { useCallback, useEffect, useRef, useState } from "react";

export type FieldErrors<F extends string> = Partial<Record<F, string[]>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailError(value: string): string | undefined {
  if (!value.trim()) return "Enter your email address.";
  if (!EMAIL.test(value.trim())) return "Enter an email address like name@example.com.";
  return undefined;
}

export function hasErrors<F extends string>(errors: FieldErrors<F>): boolean {
  return Object.values(errors).some((messages) => Array.isArray(messages) && messages.length > 0);
}

/** Keeps the server's field errors for the fields this form has (`password`, `email`, ...). */
export function pickFieldErrors<F extends string>(fields: Record<string, string[]>, names: readonly F[]): FieldErrors<F> {
  const out: FieldErrors<F> = {};
  for (const name of names) {
    const messages = fields[name];
    if (messages?.length) out[name] = messages;
  }
  return out;
}

/**
 * After a failed submit, move focus where the person needs to look: the first invalid field, or
 * else the form's error alert. Call `focusProblem()` after setting the errors; the focus happens
 * once React has rendered them.
 */
export function useFormFocus() {
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const [request, setRequest] = useState(0);

  useEffect(() => {
    if (request === 0) return;
    const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) invalid.focus();
    else alertRef.current?.focus();
  }, [request]);

  const focusProblem = useCallback(() => setRequest((n) => n + 1), []);
  return { formRef, alertRef, focusProblem };
}
