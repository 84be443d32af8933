import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Alert } from "../../components/Alert";
import { LoadingButton } from "../../components/LoadingButton";
import { TextAreaField } from "../../components/TextAreaField";
import { TextField } from "../../components/TextField";
import { describeProblem, placeFieldErrors, type FieldErrors } from "./errors";
import { moneyStep } from "./money";
import { useOrgCreateTicketTypeMutation, useOrgUpdateTicketTypeMutation, type TicketTypeRead } from "./organizerApi";
import { PricingRulesEditor } from "./PricingRulesEditor";
import {
  emptyTicketType,
  friendlyRuleMessage,
  ticketTypeToValues,
  TICKET_TYPE_FIELDS,
  TICKET_TYPE_LABELS,
  valuesToCreate,
  valuesToUpdate,
  type TicketTypeValues,
} from "./ticketTypeForm";

/** Adds a ticket type (no `ticketType`) or edits one. Saves itself; a 412 goes to `onConflict`. */
export function TicketTypeForm({
  eventId,
  etag,
  currency,
  timeZone,
  ticketType,
  sortOrder,
  onDone,
  onCancel,
  onConflict,
  onDirtyChange,
}: {
  eventId: string;
  etag: string;
  currency: string;
  timeZone: string;
  ticketType?: TicketTypeRead;
  sortOrder: number;
  onDone: (saved: TicketTypeRead) => void;
  onCancel: () => void;
  onConflict: () => void;
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const [initial] = useState<TicketTypeValues>(() => (ticketType ? ticketTypeToValues(ticketType, timeZone) : emptyTicketType()));
  const [values, setValues] = useState<TicketTypeValues>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [summary, setSummary] = useState<{ message: string; rest: string[] } | null>(null);
  const [create, creating] = useOrgCreateTicketTypeMutation();
  const [update, updating] = useOrgUpdateTicketTypeMutation();
  const form = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const id = useId();
  const saving = creating.isLoading || updating.isLoading;
  const set = (patch: Partial<TicketTypeValues>) => setValues((v) => ({ ...v, ...patch }));
  const dirty = JSON.stringify(values) !== JSON.stringify(initial);

  useEffect(() => {
    onDirtyChange?.(dirty);
  }, [dirty, onDirtyChange]);
  useEffect(() => () => onDirtyChange?.(false), [onDirtyChange]);

  function show(raw: FieldErrors, message: string) {
    const fieldErrors = Object.fromEntries(
      Object.entries(raw).map(([field, messages]) => [field, field.startsWith("pricing_rules") ? messages.map((m) => friendlyRuleMessage(field, m)) : messages]),
    );
    const isKnown = (f: string) => (TICKET_TYPE_FIELDS as readonly string[]).includes(f) || f.startsWith("pricing_rules");
    const known = Object.keys(fieldErrors).filter(isKnown);
    const { placed, rest } = placeFieldErrors(fieldErrors, known, TICKET_TYPE_LABELS);
    setErrors(placed);
    setSummary({ message, rest });
    requestAnimationFrame(() => {
      const invalid = form.current?.querySelector<HTMLElement>('[aria-invalid="true"], fieldset[data-invalid] button');
      (invalid ?? alertRef.current)?.focus();
    });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSummary(null);
    const { body, errors: clientErrors } = ticketType
      ? valuesToUpdate(initial, values, currency)
      : valuesToCreate(values, currency, sortOrder);
    if (Object.keys(clientErrors).length > 0) {
      show(clientErrors, "Some fields need your attention.");
      return;
    }
    setErrors({});
    const result = ticketType
      ? Object.keys(body).length === 0
        ? { data: { ticketType, etag } }
        : await update({ eventId, ticketTypeId: ticketType.id, etag, body })
      : await create({ eventId, etag, body: body as Parameters<typeof create>[0]["body"] });
    if ("data" in result && result.data) {
      onDone(result.data.ticketType);
      return;
    }
    const problem = describeProblem("error" in result ? result.error : undefined);
    if (problem.status === 412) {
      onConflict();
      setSummary({ message: problem.message, rest: [] });
      return;
    }
    show(problem.fields, problem.message);
  }

  const heading = ticketType ? `Edit ${ticketType.name}` : "New ticket type";
  const field = (name: keyof TicketTypeValues, apiName: string = name) => ({
    name: `${id}.${apiName}`,
    value: values[name] as string,
    onChange: (e: { target: { value: string } }) => set({ [name]: e.target.value } as Partial<TicketTypeValues>),
    error: errors[apiName],
  });

  return (
    <form ref={form} onSubmit={submit} noValidate aria-labelledby={`${id}-title`} className="rounded-2xl border border-brand-100 bg-white p-4 shadow-sm sm:p-5">
      <h3 id={`${id}-title`} className="text-base font-semibold break-words text-slate-900">
        {heading}
      </h3>
      {summary ? (
        <Alert ref={alertRef} tone="error" className="mt-3" title={summary.message}>
          {summary.rest.length ? (
            <ul className="list-disc pl-5">
              {summary.rest.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        <TextField label="Name" required maxLength={120} autoComplete="off" containerClassName="sm:col-span-2" {...field("name")} />
        <TextAreaField label="Description" rows={2} maxLength={1000} containerClassName="sm:col-span-2" {...field("description")} />
        <TextField
          label={`Price (${currency})`}
          type="number"
          inputMode="decimal"
          min={0}
          step={moneyStep(currency)}
          required
          hint="The base price; 0 for free tickets."
          {...field("price", "price_minor")}
        />
        <TextField
          label="Capacity"
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          required
          hint={ticketType ? `At least ${(ticketType.sold ?? 0) + (ticketType.held ?? 0)} (sold and held).` : undefined}
          {...field("capacity")}
        />
        <TextField
          label="Sales open"
          type="datetime-local"
          hint={`Empty: right away. ${timeZone.replace(/_/g, " ")} time.`}
          {...field("sales_start")}
        />
        <TextField
          label="Sales close"
          type="datetime-local"
          hint="Empty: when the event ends."
          {...field("sales_end")}
        />
        <TextField label="Minimum per order" type="number" inputMode="numeric" min={1} max={100} step={1} {...field("min_per_order")} />
        <TextField label="Maximum per order" type="number" inputMode="numeric" min={1} max={100} step={1} {...field("max_per_order")} />
        <label className="flex items-start gap-3 text-sm sm:col-span-2">
          <input
            type="checkbox"
            name={`${id}.hidden`}
            checked={values.hidden}
            onChange={(e) => set({ hidden: e.target.checked })}
            className="mt-0.5 h-4 w-4 accent-brand-600"
          />
          <span>
            <span className="font-medium text-slate-900">Hidden</span>
            <span className="block text-slate-600">Not shown or sold publicly (e.g. for guests or staff).</span>
          </span>
        </label>
        <div className="sm:col-span-2">
          <PricingRulesEditor
            rules={values.rules}
            onChange={(rules) => set({ rules })}
            errors={errors}
            currency={currency}
            timeZone={timeZone}
            namePrefix={id}
          />
        </div>
      </div>
      <div className="mt-5 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <button
          type="button"
          onClick={onCancel}
          disabled={saving}
          className="inline-flex items-center justify-center rounded-lg bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50 disabled:opacity-60"
        >
          Cancel
        </button>
        <LoadingButton type="submit" loading={saving} loadingText="Saving…">
          {ticketType ? "Save ticket type" : "Add ticket type"}
        </LoadingButton>
      </div>
    </form>
  );
}
