import { useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { SelectField } from "../../components/SelectField";
import { TextAreaField } from "../../components/TextAreaField";
import { TextField } from "../../components/TextField";
import { asErrors, FieldMessage } from "../../components/FieldMessage";
import { timeZones } from "./datetime";
import type { FieldErrors } from "./errors";
import { CATEGORIES, CURRENCIES, parseTags, type EventFormValues } from "./eventForm";
import { MarkdownPreview } from "./MarkdownPreview";

/** Readable defaults for server-rendered description HTML (Tailwind's reset removes them). */
export const RICH_TEXT =
  "space-y-3 break-words text-slate-800 [&_a]:text-brand-700 [&_a]:underline [&_blockquote]:border-l-4 [&_blockquote]:border-slate-200 [&_blockquote]:pl-4 [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_h1]:text-xl [&_h1]:font-bold [&_h2]:text-lg [&_h2]:font-semibold [&_h3]:font-semibold [&_ol]:list-decimal [&_ol]:pl-6 [&_strong]:font-semibold [&_ul]:list-disc [&_ul]:pl-6";

export const sectionClass = "min-w-0 rounded-2xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6";
export const legendClass = "float-left mb-4 w-full text-base font-semibold text-slate-900";

/**
 * The event's own fields, grouped in fieldsets. Errors sit under their input; the inputs carry
 * `name`s equal to the API's field names, so the page can focus the first one with an error.
 */
export function EventForm({
  values,
  onChange,
  errors,
  disabled = false,
  savedDescription,
  currencyLocked = false,
}: {
  values: EventFormValues;
  onChange: (patch: Partial<EventFormValues>) => void;
  errors: FieldErrors;
  disabled?: boolean;
  /** The saved Markdown and the server's sanitized HTML of it, for an exact preview. */
  savedDescription?: { md: string; html: string };
  currencyLocked?: boolean;
}) {
  const zones = useMemo(() => {
    const list = timeZones();
    return list.includes(values.timezone) || !values.timezone ? list : [values.timezone, ...list];
  }, [values.timezone]);
  // ~430 options: build them once per list, not on every keystroke.
  const zoneOptions = useMemo(
    () =>
      zones.map((z) => (
        <option key={z} value={z}>
          {z.replace(/_/g, " ")}
        </option>
      )),
    [zones],
  );
  const categories = (CATEGORIES as readonly string[]).includes(values.category) ? CATEGORIES : [values.category, ...CATEGORIES];
  const tags = parseTags(values.tags);
  const text = (field: keyof EventFormValues) => ({
    name: field,
    value: values[field],
    onChange: (e: { target: { value: string } }) => onChange({ [field]: e.target.value }),
    error: errors[field],
    disabled,
  });

  return (
    <div className="space-y-6">
      <fieldset className={sectionClass} disabled={disabled}>
        <legend className={legendClass}>Basics</legend>
        <div className="clear-both grid gap-4 sm:grid-cols-2">
          <TextField label="Title" required maxLength={200} autoComplete="off" containerClassName="sm:col-span-2" {...text("title")} />
          <TextAreaField
            label="Summary"
            rows={2}
            maxLength={500}
            hint="One or two sentences shown on event cards."
            containerClassName="sm:col-span-2"
            {...text("summary")}
          />
          <SelectField label="Category" {...text("category")}>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c.charAt(0).toUpperCase() + c.slice(1)}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Tags"
            autoComplete="off"
            placeholder="jazz, outdoor, family"
            hint={
              tags.length ? (
                <span className="flex flex-wrap gap-1">
                  {tags.map((t) => (
                    <span key={t} className="max-w-full truncate rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
                      {t}
                    </span>
                  ))}
                </span>
              ) : (
                "Separate tags with commas."
              )
            }
            {...text("tags")}
          />
          <RadioGroup
            legend="Visibility"
            name="visibility"
            value={values.visibility}
            onChange={(v) => onChange({ visibility: v as EventFormValues["visibility"] })}
            error={errors.visibility}
            className="sm:col-span-2"
            options={[
              { value: "public", label: "Public", hint: "Listed on Boxoffice and in search." },
              { value: "unlisted", label: "Unlisted", hint: "Only people with the link can find it." },
            ]}
          />
        </div>
      </fieldset>

      <DescriptionEditor
        value={values.description_md}
        onChange={(description_md) => onChange({ description_md })}
        error={errors.description_md}
        disabled={disabled}
        savedDescription={savedDescription}
      />

      <fieldset className={sectionClass} disabled={disabled}>
        <legend className={legendClass}>Date and time</legend>
        <div className="clear-both grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Timezone"
            containerClassName="sm:col-span-2"
            hint="The start and end below are local times in this timezone."
            {...text("timezone")}
          >
            {zoneOptions}
          </SelectField>
          <TextField label="Starts" type="datetime-local" required {...text("starts_at")} />
          <TextField label="Ends" type="datetime-local" required {...text("ends_at")} />
        </div>
      </fieldset>

      <fieldset className={sectionClass} disabled={disabled}>
        <legend className={legendClass}>Location</legend>
        <p className="clear-both -mt-2 mb-4 text-sm text-slate-600">Give a venue, an online link, or both.</p>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Venue name" maxLength={200} autoComplete="off" containerClassName="sm:col-span-2" {...text("venue_name")} />
          <TextField label="Address" maxLength={300} autoComplete="street-address" containerClassName="sm:col-span-2" {...text("address")} />
          <TextField label="City" maxLength={120} autoComplete="address-level2" {...text("city")} />
          <TextField
            label="Country"
            maxLength={2}
            autoComplete="country"
            placeholder="PT"
            hint="2-letter code"
            className="uppercase"
            {...text("country")}
          />
          <TextField
            label="Online link"
            type="url"
            maxLength={500}
            placeholder="https://"
            inputMode="url"
            containerClassName="sm:col-span-2"
            hint="For online or hybrid events: the stream or meeting link."
            {...text("online_url")}
          />
        </div>
      </fieldset>

      <fieldset className={sectionClass} disabled={disabled}>
        <legend className={legendClass}>Tickets and refunds</legend>
        <div className="clear-both grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Currency"
            hint={currencyLocked ? "Locked: tickets were sold." : "All ticket prices use this currency."}
            {...text("currency")}
            disabled={disabled || currencyLocked}
          >
            {(CURRENCIES as readonly string[]).includes(values.currency) ? null : <option value={values.currency}>{values.currency}</option>}
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Total capacity"
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            hint="Optional cap across all ticket types."
            {...text("total_capacity")}
          />
          <RadioGroup
            legend="Refund policy"
            name="refund_policy"
            value={values.refund_policy}
            onChange={(v) => onChange({ refund_policy: v as EventFormValues["refund_policy"] })}
            className="sm:col-span-2"
            options={[
              {
                value: "hours",
                label: "Customers may cancel for a full refund",
                hint: "Up to a number of hours before the start.",
              },
              { value: "none", label: "No refunds on request", hint: "You can still refund any booking yourself." },
            ]}
          >
            {values.refund_policy === "hours" ? (
              <TextField
                label="Hours before the start"
                type="number"
                inputMode="numeric"
                min={0}
                max={8760}
                step={1}
                containerClassName="mt-3 max-w-xs"
                {...text("refund_until_hours")}
              />
            ) : (
              <FieldMessage id="refund-policy-error" errors={asErrors(errors.refund_until_hours)} />
            )}
          </RadioGroup>
        </div>
      </fieldset>
    </div>
  );
}

export function RadioGroup({
  legend,
  name,
  value,
  onChange,
  options,
  error,
  className = "",
  children,
  inline = false,
}: {
  legend: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string; hint?: string }[];
  error?: string[] | string | undefined;
  className?: string;
  children?: ReactNode;
  inline?: boolean;
}) {
  const id = useId();
  const errors = asErrors(error);
  return (
    <fieldset className={`min-w-0 ${className}`} aria-describedby={errors.length ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <div className={`mt-2 ${inline ? "flex flex-wrap gap-x-6 gap-y-2" : "space-y-2"}`}>
        {options.map((option) => (
          <label key={option.value} className="flex cursor-pointer items-start gap-3 text-sm">
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              className="mt-0.5 h-4 w-4 shrink-0 accent-brand-600"
            />
            <span className="min-w-0">
              <span className="font-medium text-slate-900">{option.label}</span>
              {option.hint ? <span className="block text-slate-600">{option.hint}</span> : null}
            </span>
          </label>
        ))}
      </div>
      {children}
      <FieldMessage id={`${id}-error`} errors={errors} />
    </fieldset>
  );
}

function DescriptionEditor({
  value,
  onChange,
  error,
  disabled,
  savedDescription,
}: {
  value: string;
  onChange: (value: string) => void;
  error: string[] | undefined;
  disabled: boolean;
  savedDescription?: { md: string; html: string } | undefined;
}) {
  const [tab, setTab] = useState<"write" | "preview">("write");
  const id = useId();
  const writeTab = useRef<HTMLButtonElement>(null);
  const previewTab = useRef<HTMLButtonElement>(null);
  const exact = savedDescription && savedDescription.md === value;

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    const next = tab === "write" ? "preview" : "write";
    setTab(next);
    (next === "write" ? writeTab : previewTab).current?.focus();
  }

  const tabClass = (active: boolean) =>
    `rounded-md px-3 py-1.5 text-sm font-semibold ${active ? "bg-white text-slate-900 shadow-sm ring-1 ring-slate-200" : "text-slate-600 hover:text-slate-900"}`;

  return (
    <fieldset className={sectionClass} disabled={disabled}>
      <legend className={legendClass}>Description</legend>
      <div className="clear-both flex flex-wrap items-center justify-between gap-2">
        <div role="tablist" aria-label="Description" className="inline-flex gap-1 rounded-lg bg-slate-100 p-1" onKeyDown={onKeyDown}>
          <button
            ref={writeTab}
            type="button"
            role="tab"
            id={`${id}-write-tab`}
            aria-selected={tab === "write"}
            aria-controls={`${id}-write`}
            tabIndex={tab === "write" ? 0 : -1}
            onClick={() => setTab("write")}
            className={tabClass(tab === "write")}
          >
            Write
          </button>
          <button
            ref={previewTab}
            type="button"
            role="tab"
            id={`${id}-preview-tab`}
            aria-selected={tab === "preview"}
            aria-controls={`${id}-preview`}
            tabIndex={tab === "preview" ? 0 : -1}
            onClick={() => setTab("preview")}
            className={tabClass(tab === "preview")}
          >
            Preview
          </button>
        </div>
        <span className="text-xs text-slate-600">Markdown: **bold**, *italic*, # headings, - lists, [links](https://…)</span>
      </div>
      <div role="tabpanel" id={`${id}-write`} aria-labelledby={`${id}-write-tab`} hidden={tab !== "write"} className="mt-3">
        <TextAreaField
          label="Description (Markdown)"
          hideLabel
          name="description_md"
          rows={10}
          maxLength={20000}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          error={error}
          className="font-mono text-sm"
        />
      </div>
      <div
        role="tabpanel"
        id={`${id}-preview`}
        aria-labelledby={`${id}-preview-tab`}
        hidden={tab !== "preview"}
        tabIndex={0}
        className="mt-3 min-h-40 rounded-lg border border-slate-200 bg-slate-50 p-4"
      >
        {exact && savedDescription ? (
          // The server's sanitized rendering of exactly this text.
          <div className={RICH_TEXT} dangerouslySetInnerHTML={{ __html: savedDescription.html }} />
        ) : (
          <>
            <p className="mb-3 text-xs text-slate-600">Approximate preview; the event page shows the final formatting after you save.</p>
            <MarkdownPreview source={value} />
          </>
        )}
      </div>
    </fieldset>
  );
}
