import { useCallback, useState } from "react";
import { Alert } from "../../components/Alert";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { LoadingButton } from "../../components/LoadingButton";
import { ProgressBar } from "../../components/ProgressBar";
import { formatMoney } from "../../lib/format";
import { formatInZone } from "./datetime";
import { describeProblem } from "./errors";
import {
  useOrgDeleteTicketTypeMutation,
  useOrgUpdateTicketTypeMutation,
  type EventRead,
  type TicketTypeRead,
} from "./organizerApi";
import { describeRule } from "./ticketTypeForm";
import { TicketTypeForm } from "./TicketTypeForm";

const SALES_STATUS: Record<TicketTypeRead["sales_status"], string> = {
  scheduled: "Sales not open yet",
  on_sale: "On sale",
  sold_out: "Sold out",
  ended: "Sales ended",
  unavailable: "Not on sale (draft)",
};

/** In display order: by `sort_order`, then as the server listed them. */
export function orderedTypes(types: readonly TicketTypeRead[]): TicketTypeRead[] {
  return types
    .map((t, i) => ({ t, i }))
    .sort((a, b) => a.t.sort_order - b.t.sort_order || a.i - b.i)
    .map(({ t }) => t);
}

type Editing = { kind: "new" } | { kind: "edit"; id: string } | null;

/** The event's ticket types: list, add, edit, reorder, delete. Every change sends the event's ETag. */
export function TicketTypesEditor({
  event,
  etag,
  editable,
  onConflict,
  onDirtyChange,
}: {
  event: EventRead;
  etag: string;
  editable: boolean;
  onConflict: () => void;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string; hideId?: string } | null>(null);
  const [pendingDelete, setPendingDelete] = useState<TicketTypeRead | null>(null);
  const [busy, setBusy] = useState(false);
  const [remove] = useOrgDeleteTicketTypeMutation();
  const [update] = useOrgUpdateTicketTypeMutation();
  const types = orderedTypes(event.ticket_types);
  const money = (minor: number) => formatMoney(minor, event.currency);
  const time = (iso: string) => formatInZone(iso, event.timezone);
  const nextSort = types.length ? Math.max(...types.map((t) => t.sort_order)) + 1 : 0;
  const dirtyChange = useCallback((dirty: boolean) => onDirtyChange(dirty), [onDirtyChange]);

  function handleError(error: unknown, fallbackTitle: string, ticketType?: TicketTypeRead) {
    const problem = describeProblem(error as Parameters<typeof describeProblem>[0]);
    if (problem.status === 412) {
      onConflict();
      return;
    }
    setNotice({
      tone: "error",
      text: problem.code ? problem.message : `${fallbackTitle} ${problem.message}`,
      ...(problem.code === "ticket_type_has_sales" && ticketType && !ticketType.hidden ? { hideId: ticketType.id } : {}),
    });
  }

  function askDelete(ticketType: TicketTypeRead) {
    setNotice(null);
    if ((ticketType.sold ?? 0) + (ticketType.held ?? 0) > 0) {
      // The server would refuse (409 ticket_type_has_sales): say so without asking.
      setNotice({
        tone: "error",
        text: describeProblem({ status: 409, data: { type: "", title: "", status: 409, code: "ticket_type_has_sales", errors: [] } }).message,
        ...(ticketType.hidden ? {} : { hideId: ticketType.id }),
      });
      return;
    }
    setPendingDelete(ticketType);
  }

  async function confirmDelete() {
    const ticketType = pendingDelete;
    if (!ticketType) return;
    setBusy(true);
    const result = await remove({ eventId: event.id, ticketTypeId: ticketType.id, etag });
    setBusy(false);
    setPendingDelete(null);
    if ("error" in result) handleError(result.error, "Couldn't delete the ticket type.", ticketType);
    else setNotice({ tone: "success", text: `${ticketType.name} was deleted.` });
  }

  async function hide(id: string) {
    const ticketType = types.find((t) => t.id === id);
    if (!ticketType) return;
    setBusy(true);
    const result = await update({ eventId: event.id, ticketTypeId: id, etag, body: { hidden: true } });
    setBusy(false);
    if ("error" in result) handleError(result.error, "Couldn't hide the ticket type.");
    else setNotice({ tone: "success", text: `${ticketType.name} is hidden: it is no longer shown or sold.` });
  }

  /** Moves one type and renumbers the list; each save's ETag feeds the next request. */
  async function move(index: number, delta: -1 | 1) {
    const target = index + delta;
    if (target < 0 || target >= types.length) return;
    const order = [...types];
    [order[index], order[target]] = [order[target]!, order[index]!];
    const changes = order.map((t, i) => ({ t, sort: i })).filter(({ t, sort }) => t.sort_order !== sort);
    setBusy(true);
    setNotice(null);
    let currentEtag = etag;
    for (const [n, { t, sort }] of changes.entries()) {
      const result = await update({
        eventId: event.id,
        ticketTypeId: t.id,
        etag: currentEtag,
        body: { sort_order: sort },
        refetch: n === changes.length - 1,
      });
      if ("error" in result) {
        setBusy(false);
        handleError(result.error, "Couldn't change the order.");
        return;
      }
      currentEtag = result.data.etag;
    }
    setBusy(false);
    const moved = types[index]!;
    setNotice({ tone: "success", text: `${moved.name} moved ${delta < 0 ? "up" : "down"}.` });
  }

  return (
    <section aria-labelledby="ticket-types-title" className="min-w-0 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="min-w-0">
          <h2 id="ticket-types-title" className="text-base font-semibold text-slate-900">
            Ticket types
          </h2>
          <p className="text-sm text-slate-600">Prices in {event.currency}; times in {event.timezone.replace(/_/g, " ")}.</p>
        </div>
        {editable && editing?.kind !== "new" ? (
          <LoadingButton variant="secondary" onClick={() => setEditing({ kind: "new" })} disabled={busy}>
            Add ticket type
          </LoadingButton>
        ) : null}
      </div>

      <div aria-live="polite" className="empty:hidden mt-4">
        {notice ? (
          <Alert
            tone={notice.tone}
            live={false}
            action={
              notice.hideId ? (
                <LoadingButton size="sm" variant="secondary" loading={busy} onClick={() => void hide(notice.hideId!)}>
                  Hide it instead
                </LoadingButton>
              ) : undefined
            }
          >
            {notice.text}
          </Alert>
        ) : null}
      </div>

      {types.length === 0 && editing?.kind !== "new" ? (
        <p className="mt-4 rounded-xl border border-dashed border-slate-300 px-4 py-8 text-center text-sm text-slate-600">
          No ticket types yet. Add at least one visible ticket type before publishing.
        </p>
      ) : null}

      <ul className="mt-4 space-y-3">
        {types.map((t, index) =>
          editing?.kind === "edit" && editing.id === t.id ? (
            <li key={t.id}>
              <TicketTypeForm
                eventId={event.id}
                etag={etag}
                currency={event.currency}
                timeZone={event.timezone}
                ticketType={t}
                sortOrder={t.sort_order}
                onDone={(saved) => {
                  setEditing(null);
                  setNotice({ tone: "success", text: `${saved.name} was saved.` });
                }}
                onCancel={() => setEditing(null)}
                onConflict={onConflict}
                onDirtyChange={dirtyChange}
              />
            </li>
          ) : (
            <li key={t.id}>
              <TicketTypeCard
                ticketType={t}
                money={money}
                time={time}
                editable={editable}
                busy={busy}
                first={index === 0}
                last={index === types.length - 1}
                onEdit={() => {
                  setNotice(null);
                  setEditing({ kind: "edit", id: t.id });
                }}
                onUp={() => void move(index, -1)}
                onDown={() => void move(index, 1)}
                onDelete={() => askDelete(t)}
              />
            </li>
          ),
        )}
      </ul>

      {editing?.kind === "new" ? (
        <div className="mt-4">
          <TicketTypeForm
            eventId={event.id}
            etag={etag}
            currency={event.currency}
            timeZone={event.timezone}
            sortOrder={nextSort}
            onDone={(saved) => {
              setEditing(null);
              setNotice({ tone: "success", text: `${saved.name} was added.` });
            }}
            onCancel={() => setEditing(null)}
            onConflict={onConflict}
            onDirtyChange={dirtyChange}
          />
        </div>
      ) : null}

      <ConfirmDialog
        open={pendingDelete !== null}
        title={pendingDelete ? `Delete ${pendingDelete.name}?` : ""}
        confirmLabel="Delete ticket type"
        tone="danger"
        busy={busy}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setPendingDelete(null)}
      >
        <p>Nobody has bought this ticket type yet. It is removed from the event for good.</p>
      </ConfirmDialog>
    </section>
  );
}

const iconButton =
  "inline-flex h-9 w-9 items-center justify-center rounded-lg text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:opacity-40";

function TicketTypeCard({
  ticketType: t,
  money,
  time,
  editable,
  busy,
  first,
  last,
  onEdit,
  onUp,
  onDown,
  onDelete,
}: {
  ticketType: TicketTypeRead;
  money: (minor: number) => string;
  time: (iso: string) => string;
  editable: boolean;
  busy: boolean;
  first: boolean;
  last: boolean;
  onEdit: () => void;
  onUp: () => void;
  onDown: () => void;
  onDelete: () => void;
}) {
  const sold = t.sold ?? 0;
  const held = t.held ?? 0;
  const window =
    t.sales_start || t.sales_end
      ? `Sales ${t.sales_start ? `from ${time(t.sales_start)}` : "open now"}${t.sales_end ? ` until ${time(t.sales_end)}` : ""}`
      : "Sales open until the event ends";
  return (
    <article aria-label={t.name} className="rounded-xl border border-slate-200 p-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="min-w-0 font-semibold break-words text-slate-900">{t.name}</h3>
            {t.hidden ? (
              <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-700 ring-1 ring-slate-300 ring-inset">Hidden</span>
            ) : null}
            <span className="rounded-full bg-brand-50 px-2 py-0.5 text-xs font-semibold text-brand-800 ring-1 ring-brand-100 ring-inset">
              {SALES_STATUS[t.sales_status]}
            </span>
          </div>
          <p className="mt-1 text-sm text-slate-700">
            <span className="font-semibold text-slate-900">{t.price_minor === 0 ? "Free" : money(t.price_minor)}</span>
            {t.price_minor !== t.base_price_minor ? <span className="text-slate-600"> now (base {money(t.base_price_minor)})</span> : null}
            <span className="text-slate-600"> · {t.min_per_order}–{t.max_per_order} per order</span>
          </p>
          <p className="text-sm text-slate-600">{window}</p>
          {(t.pricing_rules ?? []).length ? (
            <ul className="mt-1 space-y-0.5 text-sm text-slate-600">
              {(t.pricing_rules ?? []).map((rule, i) => (
                <li key={i}>{describeRule(rule, { money, time })}</li>
              ))}
            </ul>
          ) : null}
          <div className="mt-3 max-w-md">
            <div className="flex justify-between text-xs text-slate-600">
              <span>
                {sold} sold{held ? ` · ${held} held` : ""}
              </span>
              <span>{t.capacity} capacity</span>
            </div>
            <ProgressBar
              className="mt-1"
              value={sold}
              max={t.capacity}
              label={`${t.name}: tickets sold`}
              valueText={`${sold} of ${t.capacity} sold${held ? `, ${held} held` : ""}`}
            />
          </div>
        </div>
        {editable ? (
          <div className="flex shrink-0 flex-wrap items-center gap-2">
            <button type="button" className={iconButton} onClick={onUp} disabled={busy || first} aria-label={`Move ${t.name} up`}>
              <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4" aria-hidden="true">
                <path fillRule="evenodd" d="M10 17a.75.75 0 0 1-.75-.75V5.612L5.29 9.77a.75.75 0 0 1-1.08-1.04l5.25-5.5a.75.75 0 0 1 1.08 0l5.25 5.5a.75.75 0 1 1-1.08 1.04l-3.96-4.158V16.25A.75.75 0 0 1 10 17Z" clipRule="evenodd" />
              </svg>
            </button>
            <button type="button" className={iconButton} onClick={onDown} disabled={busy || last} aria-label={`Move ${t.name} down`}>
              <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4" aria-hidden="true">
                <path fillRule="evenodd" d="M10 3a.75.75 0 0 1 .75.75v10.638l3.96-4.158a.75.75 0 1 1 1.08 1.04l-5.25 5.5a.75.75 0 0 1-1.08 0l-5.25-5.5a.75.75 0 1 1 1.08-1.04l3.96 4.158V3.75A.75.75 0 0 1 10 3Z" clipRule="evenodd" />
              </svg>
            </button>
            <LoadingButton size="sm" variant="secondary" onClick={onEdit} disabled={busy} aria-label={`Edit ${t.name}`}>
              Edit
            </LoadingButton>
            <LoadingButton size="sm" variant="danger-secondary" onClick={onDelete} disabled={busy} aria-label={`Delete ${t.name}`}>
              Delete
            </LoadingButton>
          </div>
        ) : null}
      </div>
    </article>
  );
}
