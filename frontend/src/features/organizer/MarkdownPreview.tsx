import type { ReactNode } from "react";

/**
 * An approximate preview of the description's Markdown, built as React elements (never HTML, so
 * nothing typed here can run). The published page uses the server's sanitized rendering.
 * Supports headings, paragraphs, lists, quotes, **bold**, *italic*, `code` and [links](https://…).
 */
export function MarkdownPreview({ source }: { source: string }) {
  const blocks = parseBlocks(source);
  if (blocks.length === 0) return <p className="text-slate-500 italic">Nothing to preview yet.</p>;
  return <div className="space-y-3 break-words text-slate-800">{blocks}</div>;
}

function parseBlocks(source: string): ReactNode[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const out: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i += 1;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      const className = level === 1 ? "text-xl font-bold" : level === 2 ? "text-lg font-semibold" : "font-semibold";
      out.push(
        <p key={i} role="heading" aria-level={Math.min(level + 2, 6)} className={`${className} text-slate-900`}>
          {inline(heading[2]!)}
        </p>,
      );
      i += 1;
      continue;
    }
    if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      const ordered = /^\s*\d+[.)]\s+/.test(line);
      const items: ReactNode[] = [];
      const start = i;
      while (i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i]!)) {
        items.push(<li key={i}>{inline(lines[i]!.replace(/^\s*([-*+]|\d+[.)])\s+/, ""))}</li>);
        i += 1;
      }
      out.push(
        ordered ? (
          <ol key={start} className="list-decimal space-y-1 pl-6">
            {items}
          </ol>
        ) : (
          <ul key={start} className="list-disc space-y-1 pl-6">
            {items}
          </ul>
        ),
      );
      continue;
    }
    if (/^>\s?/.test(line)) {
      const start = i;
      const quoted: string[] = [];
      while (i < lines.length && /^>\s?/.test(lines[i]!)) {
        quoted.push(lines[i]!.replace(/^>\s?/, ""));
        i += 1;
      }
      out.push(
        <blockquote key={start} className="border-l-4 border-slate-200 pl-4 text-slate-600">
          {inline(quoted.join(" "))}
        </blockquote>,
      );
      continue;
    }
    const start = i;
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() && !/^(#{1,6}\s|>|\s*([-*+]|\d+[.)])\s+)/.test(lines[i]!)) {
      paragraph.push(lines[i]!.trim());
      i += 1;
    }
    out.push(<p key={start}>{inline(paragraph.join(" "))}</p>);
  }
  return out;
}

const INLINE = /(\*\*[^*]+\*\*|__[^_]+__|\*[^*\s][^*]*\*|_[^_\s][^_]*_|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;

function inline(text: string): ReactNode[] {
  const parts = text.split(INLINE);
  return parts.map((part, index) => {
    if (!part) return null;
    if ((part.startsWith("**") && part.endsWith("**")) || (part.startsWith("__") && part.endsWith("__"))) {
      return <strong key={index}>{part.slice(2, -2)}</strong>;
    }
    if (part.startsWith("`") && part.endsWith("`")) {
      return (
        <code key={index} className="rounded bg-slate-100 px-1 py-0.5 text-sm">
          {part.slice(1, -1)}
        </code>
      );
    }
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
    if (link) {
      const href = link[2]!;
      return /^(https?:|mailto:)/i.test(href) ? (
        <a key={index} href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-brand-700 underline">
          {link[1]}
        </a>
      ) : (
        <span key={index}>{link[1]}</span>
      );
    }
    if ((part.startsWith("*") && part.endsWith("*") && part.length > 2) || (part.startsWith("_") && part.endsWith("_") && part.length > 2)) {
      return <em key={index}>{part.slice(1, -1)}</em>;
    }
    return part;
  });
}
