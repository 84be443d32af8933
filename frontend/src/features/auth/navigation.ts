/** Pages that make no sense to come back to after signing in. */
const AUTH_PAGES = new Set(["/login", "/register", "/forgot-password", "/reset-password", "/auth/complete"]);

/**
 * Where to go after signing in: only same-site paths (never an open redirect to `//evil.com`
 * or `https://...`), and never back into the sign-in pages.
 */
export function safeNext(raw: string | null | undefined, fallback = "/"): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return fallback;
  const path = raw.split(/[?#]/)[0] ?? raw;
  return AUTH_PAGES.has(path) ? fallback : raw;
}

/** `/login?next=...` (or `/register?next=...`) that brings the person back to `next`. */
export function authUrl(
  page: "/login" | "/register",
  next: string | null | undefined,
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams();
  const target = safeNext(next, "");
  if (target && target !== "/") params.set("next", target);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const query = params.toString();
  return query ? `${page}?${query}` : page;
}

export function pathOf(location: { pathname: string; search: string; hash: string }): string {
  return `${location.pathname}${location.search}${location.hash}`;
}
