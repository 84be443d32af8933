import type { ReactNode } from "react";
import { useOauthProvidersQuery, type OAuthProvider } from "./authApi";

const ICONS: Record<OAuthProvider["name"], ReactNode> = {
  google: (
    <svg viewBox="0 0 24 24" className="h-5 w-5" aria-hidden="true" focusable="false">
      <path fill="#EA4335" d="M12 10.2v3.9h5.5c-.24 1.4-1.7 4.1-5.5 4.1-3.3 0-6-2.7-6-6.1S8.7 6 12 6c1.9 0 3.1.8 3.8 1.5l2.6-2.5C16.8 3.5 14.6 2.5 12 2.5 6.8 2.5 2.6 6.7 2.6 12s4.2 9.5 9.4 9.5c5.4 0 9-3.8 9-9.2 0-.6-.1-1.1-.2-1.6H12Z" />
    </svg>
  ),
  github: (
    <svg viewBox="0 0 24 24" className="h-5 w-5 text-slate-900" fill="currentColor" aria-hidden="true" focusable="false">
      <path d="M12 2C6.5 2 2 6.6 2 12.2c0 4.5 2.9 8.3 6.8 9.7.5.1.7-.2.7-.5v-1.7c-2.8.6-3.4-1.4-3.4-1.4-.5-1.2-1.1-1.5-1.1-1.5-.9-.6.1-.6.1-.6 1 .1 1.5 1 1.5 1 .9 1.6 2.4 1.1 2.9.9.1-.7.4-1.1.6-1.4-2.2-.3-4.6-1.1-4.6-5 0-1.1.4-2 1-2.7-.1-.3-.4-1.3.1-2.7 0 0 .8-.3 2.8 1a9.5 9.5 0 0 1 5 0c1.9-1.3 2.8-1 2.8-1 .5 1.4.2 2.4.1 2.7.6.7 1 1.6 1 2.7 0 3.9-2.3 4.7-4.6 5 .4.3.7 1 .7 2v2.9c0 .3.2.6.7.5a10.2 10.2 0 0 0 6.8-9.7C22 6.6 17.5 2 12 2Z" />
    </svg>
  ),
  facebook: (
    <svg viewBox="0 0 24 24" className="h-5 w-5" fill="#1877F2" aria-hidden="true" focusable="false">
      <path d="M22 12a10 10 0 1 0-11.6 9.9v-7H7.9V12h2.5V9.8c0-2.5 1.5-3.9 3.8-3.9 1.1 0 2.2.2 2.2.2v2.5h-1.3c-1.2 0-1.6.8-1.6 1.6V12h2.8l-.4 2.9h-2.3v7A10 10 0 0 0 22 12Z" />
    </svg>
  ),
};

/** Where the provider button goes: the API's start URL plus where to land afterwards. */
export function providerHref(provider: OAuthProvider, next: string): string {
  const url = new URL(provider.authorize_url, window.location.origin);
  url.searchParams.set("next", next);
  return url.origin === window.location.origin ? `${url.pathname}${url.search}` : url.toString();
}

/**
 * One button per enabled sign-in provider. Plain links: the browser leaves the app for the
 * provider's consent page and comes back through `/auth/complete`.
 */
export function OAuthButtons({ next, verb = "Continue" }: { next: string; verb?: string }) {
  const { data: providers } = useOauthProvidersQuery();
  if (!providers || providers.length === 0) return null;
  return (
    <div className="mt-6">
      <div className="relative" aria-hidden="true">
        <div className="absolute inset-0 flex items-center">
          <div className="w-full border-t border-slate-200" />
        </div>
        <div className="relative flex justify-center text-sm">
          <span className="bg-white px-3 text-slate-600">or</span>
        </div>
      </div>
      <ul className="mt-6 grid gap-3" aria-label="Other ways to sign in">
        {providers.map((provider) => (
          <li key={provider.name}>
            <a
              href={providerHref(provider, next)}
              className="flex w-full items-center justify-center gap-3 rounded-lg bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
            >
              {ICONS[provider.name]}
              {verb} with {provider.label}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
