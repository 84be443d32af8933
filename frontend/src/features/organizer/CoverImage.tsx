import { useEffect, useId, useRef, useState, type ChangeEvent } from "react";
import { Alert } from "../../components/Alert";
import { Spinner } from "../../components/Spinner";
import { describeProblem } from "./errors";
import { useOrgUploadCoverMutation, type EventRead } from "./organizerApi";

export const COVER_TYPES = ["image/png", "image/jpeg", "image/webp"];
export const MAX_COVER_BYTES = 5 * 1024 * 1024;

/** Checks a chosen file before uploading it; null when it is fine. */
export function coverProblem(file: File): string | null {
  if (!COVER_TYPES.includes(file.type)) return "Choose a PNG, JPEG or WebP image.";
  if (file.size > MAX_COVER_BYTES) return `That image is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB.`;
  return null;
}

/** The event's cover: current image or a preview of the chosen file, uploaded as soon as it is picked. */
export function CoverImage({
  event,
  etag,
  editable,
  onConflict,
}: {
  event: EventRead;
  etag: string;
  editable: boolean;
  onConflict: () => void;
}) {
  const [upload, { isLoading }] = useOrgUploadCoverMutation();
  const [preview, setPreview] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  async function choose(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    const problem = coverProblem(file);
    if (problem) {
      setMessage({ tone: "error", text: problem });
      return;
    }
    setMessage(null);
    setPreview(typeof URL.createObjectURL === "function" ? URL.createObjectURL(file) : null);
    const result = await upload({ id: event.id, etag, file });
    if ("data" in result) {
      setMessage({ tone: "success", text: "Cover image saved." });
      setPreview(null);
    } else {
      const info = describeProblem(result.error);
      if (info.status === 412) onConflict();
      setMessage({ tone: "error", text: info.message });
      setPreview(null);
    }
  }

  const shown = preview ?? event.cover_image_url;
  return (
    <section aria-labelledby={`${id}-title`} className="min-w-0 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        Cover image
      </h2>
      <div className="relative mt-3 aspect-[16/9] overflow-hidden rounded-xl bg-slate-100">
        {shown ? (
          <img src={shown} alt={preview ? "Preview of the new cover image" : `Cover of ${event.title}`} className="h-full w-full object-cover" />
        ) : (
          <div className="flex h-full items-center justify-center text-sm text-slate-600">No cover image yet</div>
        )}
        {isLoading ? (
          <div className="absolute inset-0 flex items-center justify-center gap-2 bg-white/70 text-sm font-medium text-slate-800">
            <Spinner className="h-5 w-5 text-brand-600" /> Uploading…
          </div>
        ) : null}
      </div>
      {editable ? (
        <div className="mt-3">
          <input
            ref={input}
            id={id}
            type="file"
            accept={COVER_TYPES.join(",")}
            onChange={(e) => void choose(e)}
            className="peer sr-only"
            aria-describedby={`${id}-hint`}
            disabled={isLoading}
          />
          <label
            htmlFor={id}
            className="inline-flex cursor-pointer items-center justify-center rounded-lg bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset peer-focus-visible:ring-2 peer-focus-visible:ring-brand-600 hover:bg-slate-50"
          >
            {event.cover_image_url ? "Replace image" : "Upload image"}
          </label>
          <p id={`${id}-hint`} className="mt-2 text-sm text-slate-600">
            PNG, JPEG or WebP, at most 5 MB. Wide images (16:9) look best.
          </p>
        </div>
      ) : null}
      <div aria-live="polite" className="mt-3 empty:hidden">
        {message ? (
          <Alert tone={message.tone} live={false}>
            {message.text}
          </Alert>
        ) : null}
      </div>
    </section>
  );
}
