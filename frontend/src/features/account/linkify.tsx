import type { ReactNode } from "react";
import { Link } from "react-router";

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/g;
// Sentence punctuation right after a URL is not part of it.
const TRAILING = /[.,;:!?)\]]+$/;

const linkClass = "font-medium break-all text-brand-700 underline underline-offset-2 hover:text-brand-800";

/**
 * Plain text with its http(s) URLs turned into links. Links into this app stay in the app;
 * others open normally. Nothing else is interpreted, so mail text cannot inject markup.
 */
export function linkify(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    const raw = match[0];
    const url = raw.replace(TRAILING, "");
    if (start > last) out.push(text.slice(last, start));
    out.push(<MailLink key={start} href={url} />);
    last = start + url.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function MailLink({ href }: { href: string }) {
  let parsed: URL | null = null;
  try {
    parsed = new URL(href);
  } catch {
    return <>{href}</>;
  }
  if (typeof window !== "undefined" && parsed.origin === window.location.origin) {
    return (
      <Link to={`${parsed.pathname}${parsed.search}${parsed.hash}`} className={linkClass}>
        {href}
      </Link>
    );
  }
  return (
    <a href={parsed.toString()} className={linkClass} rel="noopener noreferrer">
      {href}
    </a>
  );
}
