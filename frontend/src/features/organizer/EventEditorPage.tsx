import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode, type Ref } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { Alert } from "../../components/Alert";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorState } from "../../components/ErrorState";
import { LoadingButton } from "../../components/LoadingButton";
import { PageSpinner } from "../../components/Spinner";
import { usePageTitle } from "../../components/usePageTitle";
import { formatEventDate } from "../../lib/format";
import { CancelEventDialog } from "./CancelEventDialog";
import { CancellationPanel } from "./CancellationPanel";
import { CoverImage } from "./CoverImage";
import { describeProblem, fieldLines, placeFieldErrors, type FieldErrors, type ProblemDetails } from "./errors";
import { EventForm } from "./EventForm";
import {
  emptyEventValues,
  eventToValues,
  EVENT_FIELD_LABELS,
  EVENT_FIELDS,
  sameValues,
  validateEvent,
  valuesToCreate,
  valuesToUpdate,
  type EventFormValues,
} from "./eventForm";
import {
  useOrgCancelEventMutation,
  useOrgCreateEventMutation,
  useOrgDeleteEventMutation,
  useOrgEventQuery,
  useOrgPublishEventMutation,
  useOrgUpdateEventMutation,
  type EventRead,
} from "./organizerApi";
import { EventStatusChip } from "./StatusChip";
import { TicketTypesEditor } from "./TicketTypesEditor";
import { useUnsavedChanges } from "./useUnsavedChanges";

const CONFLICT_MESSAGE = "Someone else changed this event — reload to see their changes";

/** `/organizer/events/new` and `/organizer/events/:id/edit`. */
export function EventEditorPage() {
  const { id } = useParams();
  return id ? <EditEvent key={id} id={id} /> : <NewEvent />;
}

type Summary = { title: string; lines: string[] } | null;

/** Shared by both modes: shows a problem's field errors next to their inputs, the rest on top. */
function useFormErrors() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [summary, setSummary] = useState<Summary>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  const show = useCallback((fields: FieldErrors, title: string) => {
    const { placed, rest } = placeFieldErrors(fields, EVENT_FIELDS, EVENT_FIELD_LABELS);
    setErrors(placed);
    setSummary({ title, lines: rest });
    requestAnimationFrame(() => {
      const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      (invalid ?? summaryRef.current)?.focus();
    });
  }, []);

  const clear = useCallback(() => {
    setErrors({});
    setSummary(null);
  }, []);

  return { errors, summary, show, clear, formRef, summaryRef };
}

function NewEvent() {
  usePageTitle("New event");
  const navigate = useNavigate();
  const [initial] = useState(() => emptyEventValues());
  const [values, setValues] = useState<EventFormValues>(initial);
  const [create, { isLoading }] = useOrgCreateEventMutation();
  const form = useFormErrors();
  const dirty = !sameValues(initial, values);
  const { blocker, allowNextNavigation } = useUnsavedChanges(dirty);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const clientErrors = validateEvent(values);
    if (Object.keys(clientErrors).length) {
      form.show(clientErrors, "Some fields need your attention.");
      return;
    }
    form.clear();
    const result = await create(valuesToCreate(values));
    if ("data" in result && result.data) {
      allowNextNavigation();
      navigate(`/organizer/events/${result.data.event.id}/edit`, { state: { created: true } });
      return;
    }
    const problem = describeProblem("error" in result ? result.error : undefined);
    form.show(problem.fields, problem.message);
  }

  return (
    <EditorFrame
      title="New event"
      header={<p className="mt-1 text-sm text-slate-600">Start with the basics; you can add ticket types and a cover after saving the draft.</p>}
      aside={
        <div className="rounded-2xl border border-slate-200 bg-white p-4 text-sm text-slate-600 shadow-sm sm:p-6">
          <h2 className="text-base font-semibold text-slate-900">Next steps</h2>
          <ol className="mt-2 list-decimal space-y-1 pl-5">
            <li>Save the draft.</li>
            <li>Add ticket types and a cover image.</li>
            <li>Publish when everything looks right.</li>
          </ol>
        </div>
      }
    >
      <form ref={form.formRef} onSubmit={submit} noValidate aria-label="Event details">
        <ErrorSummary summary={form.summary} innerRef={form.summaryRef} hasFieldErrors={Object.keys(form.errors).length > 0} />
        <EventForm values={values} onChange={(patch) => setValues((v) => ({ ...v, ...patch }))} errors={form.errors} />
        <SaveBar saving={isLoading} dirty={dirty} savedAt={null} label="Create draft" savingLabel="Creating…" idleText="Not saved yet." />
      </form>
      <LeaveDialog blocker={blocker} />
    </EditorFrame>
  );
}

function EditEvent({ id }: { id: string }) {
  const query = useOrgEventQuery(id);
  const location = useLocation();
  const navigate = useNavigate();
  const [baseline, setBaseline] = useState<EventFormValues | null>(null);
  const [values, setValues] = useState<EventFormValues | null>(null);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [conflict, setConflict] = useState(false);
  const [reloading, setReloading] = useState(false);
  const [notice, setNotice] = useState<{ tone: "success" | "error" | "info"; title: string; lines?: string[]; action?: ReactNode } | null>(
    (location.state as { created?: boolean } | null)?.created
      ? { tone: "success", title: "Draft created. Add ticket types and a cover image, then publish." }
      : (location.state as { cancelled?: boolean } | null)?.cancelled
        ? { tone: "success", title: "The event is cancelled. Paid bookings are being refunded." }
        : null,
  );
  const [ticketFormDirty, setTicketFormDirty] = useState(false);
  const [dialog, setDialog] = useState<"cancel" | "delete" | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [update, updating] = useOrgUpdateEventMutation();
  const [publish, publishing] = useOrgPublishEventMutation();
  const [cancel, cancelling] = useOrgCancelEventMutation();
  const [remove, removing] = useOrgDeleteEventMutation();
  const form = useFormErrors();
  const noticeRef = useRef<HTMLDivElement>(null);
  const conflictRef = useRef<HTMLDivElement>(null);

  const event = query.data?.event;
  const etag = query.data?.etag ?? "";
  const formDirty = baseline !== null && values !== null && !sameValues(baseline, values);
  const { blocker, allowNextNavigation } = useUnsavedChanges(formDirty || ticketFormDirty);
  usePageTitle(event ? `Edit ${event.title}` : "Edit event");

  // Follow the server while the form is untouched (e.g. after a ticket type change bumped the version).
  useEffect(() => {
    if (!event) return;
    const fresh = eventToValues(event);
    if (baseline === null || values === null || sameValues(baseline, values)) {
      setBaseline(fresh);
      setValues(fresh);
    }
    // Only server changes resync (typing must not), hence `event` alone.
  }, [event]);

  const showConflict = useCallback(() => setConflict(true), []);
  // The warning sits at the top of a long page: bring it (and the Reload button) to the user.
  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  if (query.isLoading) return <PageSpinner label="Loading the event…" />;
  if (query.isError || !event || !values || !baseline) {
    const problem = describeProblem(query.error);
    return (
      <EditorFrame title="Edit event">
        <ErrorState
          title={problem.status === 404 ? "We couldn't find this event" : "We couldn't load this event"}
          message={problem.status === 404 ? "It may have been deleted, or it belongs to someone else." : problem.message}
          onRetry={problem.status === 404 ? undefined : () => void query.refetch()}
          retrying={query.isFetching}
        />
      </EditorFrame>
    );
  }
  if (!event.can_manage) {
    return (
      <EditorFrame title={event.title}>
        <ErrorState title="You can't edit this event" message="Only its organizer and Boxoffice admins can change it." />
      </EditorFrame>
    );
  }

  const now = Date.now();
  const editable = event.status === "draft" || (event.status === "published" && new Date(event.ends_at).getTime() > now);
  const currencyLocked = event.ticket_types.some((t) => (t.sold ?? 0) + (t.held ?? 0) > 0);

  function say(next: typeof notice) {
    setNotice(next);
    requestAnimationFrame(() => noticeRef.current?.focus());
  }

  async function reload() {
    setReloading(true);
    const result = await query.refetch();
    setReloading(false);
    if (result.data) {
      const fresh = eventToValues(result.data.event);
      setBaseline(fresh);
      setValues(fresh);
      setConflict(false);
      form.clear();
      setNotice({ tone: "info", title: "Reloaded: you are now editing the latest version." });
    }
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!values || !baseline) return;
    const clientErrors = validateEvent(values);
    if (Object.keys(clientErrors).length) {
      form.show(clientErrors, "Some fields need your attention.");
      return;
    }
    const body = valuesToUpdate(baseline, values);
    if (Object.keys(body).length === 0) {
      form.clear();
      setSavedAt(new Date());
      return;
    }
    form.clear();
    const result = await update({ id, etag, body });
    if ("data" in result && result.data) {
      const fresh = eventToValues(result.data.event);
      setBaseline(fresh);
      setValues(fresh);
      setSavedAt(new Date());
      return;
    }
    const problem = describeProblem("error" in result ? result.error : undefined);
    if (problem.status === 412) {
      setConflict(true);
      return;
    }
    form.show(problem.fields, problem.message);
  }

  async function doPublish() {
    setNotice(null);
    const result = await publish({ id, etag });
    if ("data" in result) {
      say({ tone: "success", title: "Published! The event is now on sale." });
      return;
    }
    const problem = describeProblem(result.error);
    if (problem.status === 412) return setConflict(true);
    say({ tone: "error", title: problem.code === "event_incomplete" ? problem.message : `Couldn't publish: ${problem.message}`, lines: missingLines(problem) });
  }

  async function doCancel(reason: string) {
    setDialogError(null);
    const result = await cancel({ id, etag, reason });
    if ("data" in result) {
      setDialog(null);
      say({ tone: "success", title: "The event is cancelled. Paid bookings are being refunded." });
      return;
    }
    const problem = describeProblem(result.error);
    if (problem.status === 412) {
      setDialog(null);
      setConflict(true);
      return;
    }
    setDialogError(problem.message);
  }

  async function doDelete() {
    const result = await remove({ id, etag });
    if ("data" in result) {
      allowNextNavigation();
      navigate("/organizer", { state: { notice: `“${event!.title}” was deleted.` } });
      return;
    }
    setDialog(null);
    const problem = describeProblem(result.error);
    if (problem.status === 412) return setConflict(true);
    say({
      tone: "error",
      title: problem.message,
      ...(problem.code === "event_has_sales" && event!.status === "published"
        ? {
            action: (
              <LoadingButton size="sm" variant="danger-secondary" onClick={() => setDialog("cancel")}>
                Cancel the event instead
              </LoadingButton>
            ),
          }
        : {}),
    });
  }

  return (
    <EditorFrame
      title={event.title}
      chip={<EventStatusChip status={event.status} />}
      header={
        <>
          <p className="mt-1 text-sm text-slate-600">{formatEventDate(event.starts_at, event.timezone)}</p>
          <EventActions
            event={event}
            dirty={formDirty}
            publishing={publishing.isLoading}
            onPublish={() => void doPublish()}
            onCancel={() => {
              setDialogError(null);
              setDialog("cancel");
            }}
            onDelete={() => setDialog("delete")}
          />
        </>
      }
      notices={
        <>
          {conflict ? (
            <Alert
              ref={conflictRef}
              tone="warning"
              title={CONFLICT_MESSAGE}
              action={
                <LoadingButton size="sm" loading={reloading} loadingText="Reloading…" onClick={() => void reload()}>
                  Reload
                </LoadingButton>
              }
            >
              Your unsaved changes to the event details will be replaced by the latest version.
            </Alert>
          ) : null}
          {notice ? (
            <Alert ref={noticeRef} tone={notice.tone} title={notice.title} action={notice.action}>
              {notice.lines?.length ? (
                <ul className="list-disc pl-5">
                  {notice.lines.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              ) : null}
            </Alert>
          ) : null}
          {!editable ? (
            <Alert tone="info" live={false}>
              {event.status === "cancelled"
                ? "This event is cancelled and can no longer be changed."
                : event.status === "completed"
                  ? "This event is completed and can no longer be changed."
                  : "This event has ended and can no longer be changed."}
            </Alert>
          ) : null}
          {event.status === "cancelled" ? <CancellationPanel eventId={event.id} reason={event.cancelled_reason} /> : null}
        </>
      }
      aside={
        <>
          {event.status === "draft" ? <PublishChecklist event={event} /> : null}
          <CoverImage event={event} etag={etag} editable={editable} onConflict={showConflict} />
        </>
      }
    >
      <form ref={form.formRef} onSubmit={save} noValidate aria-label="Event details">
        <ErrorSummary summary={form.summary} innerRef={form.summaryRef} hasFieldErrors={Object.keys(form.errors).length > 0} />
        <EventForm
          values={values}
          onChange={(patch) => setValues((v) => (v ? { ...v, ...patch } : v))}
          errors={form.errors}
          disabled={!editable}
          currencyLocked={currencyLocked}
          savedDescription={{ md: event.description_md, html: event.description_html }}
        />
        {editable ? (
          <SaveBar
            saving={updating.isLoading}
            dirty={formDirty}
            savedAt={savedAt}
            label="Save changes"
            savingLabel="Saving…"
            {...(conflict ? { problem: "Not saved: someone else changed this event. Reload it at the top of the page." } : {})}
          />
        ) : null}
      </form>
      <div className="mt-6">
        <TicketTypesEditor event={event} etag={etag} editable={editable} onConflict={showConflict} onDirtyChange={setTicketFormDirty} />
      </div>

      <CancelEventDialog
        open={dialog === "cancel"}
        title={event.title}
        busy={cancelling.isLoading}
        error={dialogError}
        onConfirm={(reason) => void doCancel(reason)}
        onCancel={() => setDialog(null)}
      />
      <ConfirmDialog
        open={dialog === "delete"}
        title={`Delete ${event.title}?`}
        confirmLabel="Delete draft"
        tone="danger"
        busy={removing.isLoading}
        onConfirm={() => void doDelete()}
        onCancel={() => setDialog(null)}
      >
        <p>The draft, its ticket types and its cover image are deleted for good.</p>
      </ConfirmDialog>
      <LeaveDialog blocker={blocker} />
    </EditorFrame>
  );
}

function missingLines(problem: ProblemDetails): string[] {
  return fieldLines(problem.fields, EVENT_FIELD_LABELS);
}

function EditorFrame({
  title,
  chip,
  header,
  notices,
  aside,
  children,
}: {
  title: string;
  chip?: ReactNode;
  header?: ReactNode;
  notices?: ReactNode;
  aside?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8 lg:px-8">
      <Link to="/organizer" className="text-sm font-medium text-brand-700 hover:underline">
        <span aria-hidden="true">←</span> My events
      </Link>
      <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="min-w-0 text-2xl font-bold tracking-tight break-words text-slate-900 sm:text-3xl">{title}</h1>
        {chip}
      </div>
      {header}
      {notices ? <div className="mt-4 space-y-4 empty:hidden">{notices}</div> : null}
      <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0">{children}</div>
        {aside ? <aside className="min-w-0 space-y-6" aria-label="Event extras">{aside}</aside> : null}
      </div>
    </div>
  );
}

function EventActions({
  event,
  dirty,
  publishing,
  onPublish,
  onCancel,
  onDelete,
}: {
  event: EventRead;
  dirty: boolean;
  publishing: boolean;
  onPublish: () => void;
  onCancel: () => void;
  onDelete: () => void;
}) {
  const link =
    "inline-flex items-center justify-center rounded-lg bg-white px-3 py-1.5 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50";
  const upcoming = new Date(event.ends_at).getTime() > Date.now();
  return (
    <div className="mt-4 flex flex-wrap items-center gap-2">
      {event.status === "draft" ? (
        <LoadingButton
          size="sm"
          loading={publishing}
          loadingText="Publishing…"
          onClick={onPublish}
          disabled={dirty}
          aria-describedby={dirty ? "publish-hint" : undefined}
        >
          Publish
        </LoadingButton>
      ) : null}
      <Link to={`/events/${event.slug}`} className={link}>
        {event.status === "draft" ? "Preview page" : "View public page"}
      </Link>
      {event.status !== "draft" ? (
        <Link to={`/organizer/events/${event.id}/bookings`} className={link}>
          Bookings
        </Link>
      ) : null}
      {event.status === "published" && upcoming ? (
        <LoadingButton size="sm" variant="danger-secondary" onClick={onCancel}>
          Cancel event
        </LoadingButton>
      ) : null}
      {event.status === "draft" ? (
        <LoadingButton size="sm" variant="danger-secondary" onClick={onDelete}>
          Delete draft
        </LoadingButton>
      ) : null}
      {dirty && event.status === "draft" ? (
        <p id="publish-hint" className="w-full text-sm text-slate-600">
          Save your changes before publishing.
        </p>
      ) : null}
    </div>
  );
}

function PublishChecklist({ event }: { event: EventRead }) {
  const items = [
    { done: new Date(event.starts_at).getTime() > Date.now(), text: "Starts in the future" },
    { done: Boolean(event.venue_name || event.online_url), text: "Has a venue or an online link" },
    { done: event.ticket_types.some((t) => !t.hidden), text: "Has a visible ticket type" },
  ];
  return (
    <section aria-labelledby="checklist-title" className="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <h2 id="checklist-title" className="text-base font-semibold text-slate-900">
        Ready to publish?
      </h2>
      <ul className="mt-3 space-y-2 text-sm">
        {items.map((item) => (
          <li key={item.text} className="flex items-start gap-2">
            <span
              aria-hidden="true"
              className={`mt-0.5 flex h-4 w-4 shrink-0 items-center justify-center rounded-full text-[10px] font-bold ${
                item.done ? "bg-emerald-600 text-white" : "ring-2 ring-slate-300"
              }`}
            >
              {item.done ? "✓" : ""}
            </span>
            <span className={item.done ? "text-slate-800" : "text-slate-600"}>
              {item.text}
              <span className="sr-only">{item.done ? " (done)" : " (to do)"}</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ErrorSummary({
  summary,
  innerRef,
  hasFieldErrors,
}: {
  summary: Summary;
  innerRef: Ref<HTMLDivElement>;
  hasFieldErrors: boolean;
}) {
  if (!summary) return null;
  return (
    <Alert ref={innerRef} tone="error" title={summary.title} className="mb-6">
      {summary.lines.length ? (
        <ul className="list-disc pl-5">
          {summary.lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      {hasFieldErrors ? <p className={summary.lines.length ? "mt-1" : ""}>The fields with problems are marked below.</p> : null}
    </Alert>
  );
}

function SaveBar({
  saving,
  dirty,
  savedAt,
  label,
  savingLabel,
  idleText = "No unsaved changes.",
  problem,
}: {
  saving: boolean;
  dirty: boolean;
  savedAt: Date | null;
  label: string;
  savingLabel: string;
  idleText?: string;
  problem?: string;
}) {
  const status = saving
    ? savingLabel
    : problem
      ? problem
    : dirty
      ? "You have unsaved changes."
      : savedAt
        ? `All changes saved at ${savedAt.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}.`
        : idleText;
  return (
    <div className="sticky bottom-0 z-10 mt-6 -mx-4 flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:mx-0 sm:rounded-xl sm:border sm:shadow-sm">
      <p role="status" aria-live="polite" className={`text-sm ${(dirty || problem) && !saving ? "font-medium text-amber-800" : "text-slate-600"}`}>
        {status}
      </p>
      <LoadingButton type="submit" loading={saving} loadingText={savingLabel}>
        {label}
      </LoadingButton>
    </div>
  );
}

function LeaveDialog({ blocker }: { blocker: ReturnType<typeof useUnsavedChanges>["blocker"] }) {
  return (
    <ConfirmDialog
      open={blocker.state === "blocked"}
      title="Leave without saving?"
      confirmLabel="Leave page"
      cancelLabel="Stay"
      tone="danger"
      onConfirm={() => blocker.proceed?.()}
      onCancel={() => blocker.reset?.()}
    >
      <p>You have unsaved changes on this page. If you leave now, they are lost.</p>
    </ConfirmDialog>
  );
}
