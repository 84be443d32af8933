import { useId, useMemo, useRef, useState, type FormEvent } from "react";
import { Alert } from "../../components/Alert";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { LoadingButton } from "../../components/LoadingButton";
import { SelectField } from "../../components/SelectField";
import { TextField } from "../../components/TextField";
import { usePageTitle } from "../../components/usePageTitle";
import { formatMoney } from "../../lib/format";
import { formatDateTime } from "../account/time";
import { localInputToIso } from "./datetime";
import { describeProblem, placeFieldErrors, type FieldErrors } from "./errors";
import { RadioGroup } from "./EventForm";
import { CURRENCIES } from "./eventForm";
import { moneyStep, parseMoney, parseWhole } from "./money";
import {
  useOrgCouponsQuery,
  useOrgCreateCouponMutation,
  useOrgEventQuery,
  useOrgMyEventsInfiniteQuery,
  useOrgUpdateCouponMutation,
  type CouponCreate,
  type CouponRead,
  type MyEventSummary,
} from "./organizerApi";

const COUPON_FIELDS = [
  "code",
  "event_id",
  "kind",
  "amount",
  "currency",
  "usage_limit",
  "per_user_limit",
  "valid_from",
  "valid_until",
  "min_purchase_minor",
  "ticket_type_ids",
] as const;

const COUPON_LABELS: Record<string, string> = {
  code: "Code",
  event_id: "Event",
  amount: "Amount",
  currency: "Currency",
  usage_limit: "Usage limit",
  per_user_limit: "Per customer",
  valid_from: "Valid from",
  valid_until: "Valid until",
  min_purchase_minor: "Minimum purchase",
  ticket_type_ids: "Ticket types",
};

export function discountText(c: Pick<CouponRead, "kind" | "amount" | "currency">): string {
  return c.kind === "percent" ? `${c.amount} % off` : `${formatMoney(c.amount, c.currency ?? "EUR")} off`;
}

function validityText(c: CouponRead): string {
  if (!c.valid_from && !c.valid_until) return "No end date";
  if (c.valid_from && c.valid_until) return `${formatDateTime(c.valid_from)} – ${formatDateTime(c.valid_until)}`;
  return c.valid_from ? `From ${formatDateTime(c.valid_from)}` : `Until ${formatDateTime(c.valid_until!)}`;
}

function expired(c: CouponRead, now = Date.now()): boolean {
  return (c.valid_until !== null && new Date(c.valid_until).getTime() <= now) || (c.usage_limit !== null && c.used_count >= c.usage_limit);
}

export function CouponsPage() {
  usePageTitle("Coupons");
  const coupons = useOrgCouponsQuery();
  const events = useOrgMyEventsInfiniteQuery({});
  const [updateCoupon] = useOrgUpdateCouponMutation();
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const myEvents = useMemo(() => (events.data?.pages ?? []).flatMap((p) => p.items), [events.data]);
  const titles = useMemo(() => new Map(myEvents.map((e) => [e.id, e.title])), [myEvents]);

  async function toggle(coupon: CouponRead) {
    setNotice(null);
    setBusy((s) => new Set(s).add(coupon.id));
    const result = await updateCoupon({ id: coupon.id, body: { active: !coupon.active } });
    setBusy((s) => {
      const next = new Set(s);
      next.delete(coupon.id);
      return next;
    });
    if ("error" in result) setNotice({ tone: "error", text: `Couldn't update ${coupon.code}. ${describeProblem(result.error).message}` });
    else setNotice({ tone: "success", text: `${coupon.code} is ${result.data.active ? "active again" : "deactivated"}.` });
  }

  const list = coupons.data ?? [];
  return (
    <div className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8 lg:px-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">Coupons</h1>
          <p className="mt-1 text-sm text-slate-600">Discount codes for one of your events or all of them.</p>
        </div>
        {!creating ? (
          <LoadingButton onClick={() => setCreating(true)}>
            New coupon
          </LoadingButton>
        ) : null}
      </div>

      {creating ? (
        <CouponForm
          events={myEvents}
          onDone={(coupon) => {
            setCreating(false);
            setNotice({ tone: "success", text: `Coupon ${coupon.code} was created.` });
          }}
          onCancel={() => setCreating(false)}
        />
      ) : null}

      <div className="mt-6 space-y-4">
        {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
        {coupons.isLoading ? (
          <div role="status" aria-busy="true" className="space-y-3">
            <span className="sr-only">Loading coupons…</span>
            {[0, 1, 2].map((i) => (
              <div key={i} aria-hidden="true" className="h-14 animate-pulse rounded-xl bg-slate-100" />
            ))}
          </div>
        ) : coupons.isError ? (
          <ErrorState
            title="We couldn't load your coupons"
            message={describeProblem(coupons.error).message}
            onRetry={() => void coupons.refetch()}
            retrying={coupons.isFetching}
          />
        ) : list.length === 0 ? (
          <EmptyState title="No coupons yet">Create a code to give people a discount, e.g. for early supporters or partners.</EmptyState>
        ) : (
          <CouponTable coupons={list} titles={titles} busy={busy} onToggle={(c) => void toggle(c)} />
        )}
      </div>
    </div>
  );
}

const th = "px-4 py-3 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase";
const td = "block px-0 py-1 md:table-cell md:px-4 md:py-3 md:align-middle";
const cellLabel = "mb-0.5 block text-xs font-semibold tracking-wide text-slate-600 uppercase md:hidden";

function CouponTable({
  coupons,
  titles,
  busy,
  onToggle,
}: {
  coupons: CouponRead[];
  titles: Map<string, string>;
  busy: ReadonlySet<string>;
  onToggle: (c: CouponRead) => void;
}) {
  return (
    <table className="block w-full md:table md:overflow-hidden md:rounded-2xl md:border md:border-slate-200 md:bg-white md:shadow-sm">
      <caption className="sr-only">Coupons</caption>
      <thead className="hidden bg-slate-50 md:table-header-group">
        <tr>
          <th scope="col" className={th}>
            Code
          </th>
          <th scope="col" className={th}>
            Discount
          </th>
          <th scope="col" className={th}>
            Used
          </th>
          <th scope="col" className={th}>
            Valid
          </th>
          <th scope="col" className={th}>
            Event
          </th>
          <th scope="col" className={`${th} text-right`}>
            Status
          </th>
        </tr>
      </thead>
      <tbody className="grid gap-3 md:table-row-group md:divide-y md:divide-slate-100">
        {coupons.map((c) => {
          const over = expired(c);
          return (
            <tr
              key={c.id}
              aria-busy={busy.has(c.id) || undefined}
              className="grid grid-cols-2 gap-x-4 gap-y-2 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm md:table-row md:rounded-none md:border-0 md:p-0 md:shadow-none"
            >
              <td className={`${td} col-span-2`}>
                <span className="font-mono font-semibold break-all text-slate-900">{c.code}</span>
                {c.min_purchase_minor ? (
                  <span className="block text-xs text-slate-600">
                    Min. purchase {formatMoney(c.min_purchase_minor, c.currency ?? "EUR")}
                  </span>
                ) : null}
              </td>
              <td className={`${td} text-sm text-slate-800`}>
                <span className={cellLabel}>Discount</span>
                {discountText(c)}
                {c.ticket_type_ids.length ? (
                  <span className="block text-xs text-slate-600">
                    on {c.ticket_type_ids.length} ticket {c.ticket_type_ids.length === 1 ? "type" : "types"}
                  </span>
                ) : null}
              </td>
              <td className={`${td} text-sm text-slate-800`}>
                <span className={cellLabel}>Used</span>
                <span className="tabular-nums">
                  {c.used_count} / {c.usage_limit ?? "∞"}
                </span>
                {c.per_user_limit ? <span className="block text-xs text-slate-600">max {c.per_user_limit} per customer</span> : null}
              </td>
              <td className={`${td} col-span-2 text-sm text-slate-700 md:col-span-1`}>
                <span className={cellLabel}>Valid</span>
                {validityText(c)}
              </td>
              <td className={`${td} col-span-2 text-sm break-words text-slate-700 md:col-span-1`}>
                <span className={cellLabel}>Event</span>
                {c.event_id ? (titles.get(c.event_id) ?? "Another organizer's event") : "All my events"}
              </td>
              <td className={`${td} col-span-2 md:text-right`}>
                <div className="flex flex-wrap items-center gap-2 md:justify-end">
                  <span
                    className={`rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${
                      !c.active
                        ? "bg-slate-100 text-slate-700 ring-slate-300"
                        : over
                          ? "bg-amber-50 text-amber-900 ring-amber-300"
                          : "bg-emerald-50 text-emerald-800 ring-emerald-200"
                    }`}
                  >
                    {!c.active ? "Inactive" : over ? "Used up or expired" : "Active"}
                  </span>
                  <LoadingButton
                    size="sm"
                    variant={c.active ? "danger-secondary" : "secondary"}
                    loading={busy.has(c.id)}
                    onClick={() => onToggle(c)}
                    aria-label={`${c.active ? "Deactivate" : "Reactivate"} ${c.code}`}
                  >
                    {c.active ? "Deactivate" : "Reactivate"}
                  </LoadingButton>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

interface CouponValues {
  code: string;
  event_id: string;
  kind: "percent" | "fixed";
  amount: string;
  currency: string;
  usage_limit: string;
  per_user_limit: string;
  valid_from: string;
  valid_until: string;
  min_purchase: string;
  ticket_type_ids: string[];
}

const EMPTY: CouponValues = {
  code: "",
  event_id: "",
  kind: "percent",
  amount: "10",
  currency: "EUR",
  usage_limit: "",
  per_user_limit: "",
  valid_from: "",
  valid_until: "",
  min_purchase: "",
  ticket_type_ids: [],
};

function toBody(values: CouponValues, currency: string): { body: CouponCreate; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const add = (f: string, m: string) => (errors[f] ??= []).push(m);
  const code = values.code.trim().toUpperCase();
  if (!/^[A-Z0-9_-]{3,40}$/.test(code)) add("code", "Use 3–40 letters, digits, - or _.");
  let amount = 0;
  if (values.kind === "percent") {
    const percent = parseWhole(values.amount);
    if (percent === null || Number.isNaN(percent) || percent < 1 || percent > 100) add("amount", "Enter a whole percentage from 1 to 100.");
    else amount = percent;
  } else {
    const minor = parseMoney(values.amount, currency);
    if (minor === null || minor <= 0) add("amount", "Enter an amount greater than 0, e.g. 5.00.");
    else amount = minor;
  }
  const whole = (text: string, field: string): number | null => {
    const n = parseWhole(text);
    if (n !== null && (Number.isNaN(n) || n < 1)) {
      add(field, "Use a whole number of at least 1, or leave it empty.");
      return null;
    }
    return n;
  };
  let minPurchase = 0;
  if (values.min_purchase.trim()) {
    const minor = parseMoney(values.min_purchase, currency);
    if (minor === null) add("min_purchase_minor", "Enter an amount, e.g. 20.00, or leave it empty.");
    else minPurchase = minor;
  }
  const validFrom = localInputToIso(values.valid_from);
  const validUntil = localInputToIso(values.valid_until);
  if (validFrom && validUntil && validUntil <= validFrom) add("valid_until", "Must be after the start.");
  const body: CouponCreate = {
    code,
    event_id: values.event_id || null,
    kind: values.kind,
    amount,
    currency: values.kind === "fixed" ? currency : null,
    usage_limit: whole(values.usage_limit, "usage_limit"),
    per_user_limit: whole(values.per_user_limit, "per_user_limit"),
    valid_from: validFrom,
    valid_until: validUntil,
    min_purchase_minor: minPurchase,
    ticket_type_ids: values.event_id ? values.ticket_type_ids : [],
  };
  return { body, errors };
}

function CouponForm({
  events,
  onDone,
  onCancel,
}: {
  events: MyEventSummary[];
  onDone: (coupon: CouponRead) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<CouponValues>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [summary, setSummary] = useState<{ title: string; lines: string[] } | null>(null);
  const [create, { isLoading }] = useOrgCreateCouponMutation();
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const id = useId();
  const chosen = events.find((e) => e.id === values.event_id);
  const eventDetail = useOrgEventQuery(values.event_id, { skip: !values.event_id });
  const currency = chosen?.currency ?? values.currency;
  const set = (patch: Partial<CouponValues>) => setValues((v) => ({ ...v, ...patch }));

  function show(fields: FieldErrors, title: string) {
    const { placed, rest } = placeFieldErrors(fields, COUPON_FIELDS, COUPON_LABELS);
    setErrors(placed);
    setSummary({ title, lines: rest });
    requestAnimationFrame(() => {
      const invalid = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      (invalid ?? alertRef.current)?.focus();
    });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const { body, errors: clientErrors } = toBody(values, currency);
    if (Object.keys(clientErrors).length) {
      show(clientErrors, "Some fields need your attention.");
      return;
    }
    setErrors({});
    setSummary(null);
    const result = await create(body);
    if ("data" in result && result.data) {
      onDone(result.data);
      return;
    }
    const problem = describeProblem("error" in result ? result.error : undefined);
    const fields = { ...problem.fields };
    if (problem.code === "coupon_code_taken") (fields.code ??= []).push(problem.message);
    show(fields, problem.code === "coupon_code_taken" ? "That code is taken." : problem.message);
  }

  const field = (name: keyof CouponValues, apiName: string = name) => ({
    name: apiName,
    value: values[name] as string,
    onChange: (e: { target: { value: string } }) => set({ [name]: e.target.value } as Partial<CouponValues>),
    error: errors[apiName],
  });
  const ticketTypes = eventDetail.data?.event.ticket_types ?? [];

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      aria-labelledby={`${id}-title`}
      className="mt-6 rounded-2xl border border-brand-100 bg-white p-4 shadow-sm sm:p-6"
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
        New coupon
      </h2>
      {summary ? (
        <Alert ref={alertRef} tone="error" title={summary.title} className="mt-4">
          {summary.lines.length ? (
            <ul className="list-disc pl-5">
              {summary.lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        <TextField
          label="Code"
          required
          autoFocus
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
          className="font-mono uppercase"
          hint="Letters, digits, - and _. Customers type it at checkout (any case)."
          {...field("code")}
        />
        <SelectField
          label="Event"
          {...field("event_id")}
          onChange={(e) => set({ event_id: e.target.value, ticket_type_ids: [] })}
          hint={events.length ? undefined : "You have no events yet: the coupon applies to all future ones."}
        >
          <option value="">All my events</option>
          {events.map((e) => (
            <option key={e.id} value={e.id}>
              {e.title}
            </option>
          ))}
        </SelectField>
        <RadioGroup
          legend="Discount"
          name="kind"
          inline
          value={values.kind}
          onChange={(kind) => set({ kind: kind as CouponValues["kind"], amount: kind === "percent" ? "10" : "" })}
          options={[
            { value: "percent", label: "Percentage" },
            { value: "fixed", label: "Fixed amount" },
          ]}
          className="sm:col-span-2"
        />
        {values.kind === "percent" ? (
          <TextField label="Percent off" type="number" inputMode="numeric" min={1} max={100} step={1} required {...field("amount")} />
        ) : (
          <TextField
            label={`Amount off (${currency})`}
            type="number"
            inputMode="decimal"
            min={0}
            step={moneyStep(currency)}
            required
            {...field("amount")}
          />
        )}
        {values.kind === "fixed" ? (
          <SelectField
            label="Currency"
            {...field("currency")}
            value={currency}
            disabled={Boolean(chosen)}
            hint={chosen ? "The event's currency." : "Only bookings in this currency get the discount."}
          >
            {(CURRENCIES as readonly string[]).includes(currency) ? null : <option value={currency}>{currency}</option>}
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </SelectField>
        ) : (
          <div className="hidden sm:block" aria-hidden="true" />
        )}
        <TextField label="Usage limit" type="number" inputMode="numeric" min={1} step={1} hint="Total uses; empty for unlimited." {...field("usage_limit")} />
        <TextField
          label="Uses per customer"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          hint="Empty for unlimited."
          {...field("per_user_limit")}
        />
        <TextField label="Valid from" type="datetime-local" hint="Your local time. Empty: right away." {...field("valid_from")} />
        <TextField label="Valid until" type="datetime-local" hint="Empty: no end date." {...field("valid_until")} />
        <TextField
          label={`Minimum purchase (${currency})`}
          type="number"
          inputMode="decimal"
          min={0}
          step={moneyStep(currency)}
          hint="Optional: the booking's subtotal must reach this."
          {...field("min_purchase", "min_purchase_minor")}
        />
        {values.event_id ? (
          <fieldset className="min-w-0 sm:col-span-2" aria-describedby={`${id}-types-hint`}>
            <legend className="text-sm font-medium text-slate-800">Ticket types</legend>
            <p id={`${id}-types-hint`} className="text-sm text-slate-600">
              Leave all unchecked to discount every ticket type of this event.
            </p>
            {eventDetail.isLoading ? (
              <p className="mt-2 text-sm text-slate-600">Loading ticket types…</p>
            ) : eventDetail.isError ? (
              <p className="mt-2 text-sm text-red-700">We couldn't load the ticket types. {describeProblem(eventDetail.error).message}</p>
            ) : ticketTypes.length === 0 ? (
              <p className="mt-2 text-sm text-slate-600">This event has no ticket types yet.</p>
            ) : (
              <div className="mt-2 grid gap-2 sm:grid-cols-2">
                {ticketTypes.map((t) => (
                  <label key={t.id} className="flex min-w-0 items-center gap-2 text-sm text-slate-800">
                    <input
                      type="checkbox"
                      name="ticket_type_ids"
                      value={t.id}
                      checked={values.ticket_type_ids.includes(t.id)}
                      onChange={(e) =>
                        set({
                          ticket_type_ids: e.target.checked
                            ? [...values.ticket_type_ids, t.id]
                            : values.ticket_type_ids.filter((x) => x !== t.id),
                        })
                      }
                      className="h-4 w-4 accent-brand-600"
                    />
                    <span className="min-w-0 break-words">{t.name}</span>
                  </label>
                ))}
              </div>
            )}
            {errors.ticket_type_ids ? <p className="mt-1.5 text-sm text-red-700">{errors.ticket_type_ids.join(" ")}</p> : null}
          </fieldset>
        ) : null}
      </div>
      <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <button
          type="button"
          onClick={onCancel}
          disabled={isLoading}
          className="inline-flex items-center justify-center rounded-lg bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm ring-1 ring-slate-300 ring-inset hover:bg-slate-50 disabled:opacity-60"
        >
          Cancel
        </button>
        <LoadingButton type="submit" loading={isLoading} loadingText="Creating…">
          Create coupon
        </LoadingButton>
      </div>
    </form>
  );
}
