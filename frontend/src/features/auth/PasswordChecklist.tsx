export interface PasswordRule {
  id: string;
  label: string;
  test: (password: string) => boolean;
}

/** The server's character rules (it also refuses very common passwords and your email). */
export const PASSWORD_RULES: readonly PasswordRule[] = [
  { id: "length", label: "At least 8 characters", test: (p) => [...p].length >= 8 },
  { id: "upper", label: "An upper-case letter", test: (p) => /\p{Lu}/u.test(p) },
  { id: "lower", label: "A lower-case letter", test: (p) => /\p{Ll}/u.test(p) },
  { id: "digit", label: "A digit", test: (p) => /\p{Nd}/u.test(p) },
];

export function meetsPasswordRules(password: string): boolean {
  return PASSWORD_RULES.every((rule) => rule.test(password));
}

/** A live checklist under a new-password field; link it with the input's `aria-describedby`. */
export function PasswordChecklist({ id, password }: { id: string; password: string }) {
  const met = PASSWORD_RULES.filter((rule) => rule.test(password)).length;
  return (
    <div id={id} className="mt-2">
      <p className="sr-only">
        Password requirements: {met} of {PASSWORD_RULES.length} met.
      </p>
      <ul className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-2">
        {PASSWORD_RULES.map((rule) => {
          const ok = rule.test(password);
          return (
            <li key={rule.id} className={`flex items-center gap-1.5 ${ok ? "text-emerald-700" : "text-slate-600"}`}>
              {ok ? (
                <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 shrink-0" aria-hidden="true" focusable="false">
                  <path fillRule="evenodd" clipRule="evenodd" d="M16.704 4.153a.75.75 0 0 1 .143 1.052l-8 10.5a.75.75 0 0 1-1.127.075l-4.5-4.5a.75.75 0 0 1 1.06-1.06l3.894 3.893 7.48-9.817a.75.75 0 0 1 1.05-.143Z" />
                </svg>
              ) : (
                <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 shrink-0 text-slate-400" aria-hidden="true" focusable="false">
                  <circle cx="10" cy="10" r="3.5" />
                </svg>
              )}
              <span>
                <span className="sr-only">{ok ? "Met: " : "Not met: "}</span>
                {rule.label}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
