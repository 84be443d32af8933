import { asErrors, FieldMessage } from "../../components/FieldMessage";
import { TextField } from "../../components/TextField";
import { RadioGroup } from "./EventForm";
import type { FieldErrors } from "./errors";
import { moneyStep } from "./money";
import { newKey, newRule, type RuleDraft, type StepDraft } from "./ticketTypeForm";

const KIND_TITLES: Record<RuleDraft["kind"], string> = {
  time: "Early-bird price",
  demand: "Demand pricing",
  bounds: "Price floor and ceiling",
};

const KIND_HELP: Record<RuleDraft["kind"], string> = {
  time: "A lower price until a date. When several apply, the one ending soonest wins.",
  demand: "The price rises as tickets sell: once the share is sold, the price is at least the step's price.",
  bounds: "Keeps the final price within limits, after the other rules.",
};

const smallButton =
  "inline-flex items-center gap-1 rounded-lg px-3 py-1.5 text-sm font-semibold text-brand-700 ring-1 ring-inset ring-brand-100 hover:bg-brand-50 disabled:opacity-50";

/**
 * Dynamic pricing rules of one ticket type. Error keys follow the API (`pricing_rules.0.until`,
 * `pricing_rules.1.steps.0.sold_share`, `pricing_rules.2` for a whole rule).
 */
export function PricingRulesEditor({
  rules,
  onChange,
  errors,
  currency,
  timeZone,
  namePrefix,
}: {
  rules: RuleDraft[];
  onChange: (rules: RuleDraft[]) => void;
  errors: FieldErrors;
  currency: string;
  timeZone: string;
  /** Distinguishes the inputs of several open forms. */
  namePrefix: string;
}) {
  const update = (index: number, rule: RuleDraft) => onChange(rules.map((r, i) => (i === index ? rule : r)));
  const remove = (index: number) => onChange(rules.filter((_, i) => i !== index));
  const has = (kind: RuleDraft["kind"]) => rules.some((r) => r.kind === kind);
  const setErrors = asErrors(errors.pricing_rules);

  return (
    <fieldset className="min-w-0 rounded-xl border border-slate-200 p-4">
      <legend className="px-1 text-sm font-semibold text-slate-900">Dynamic pricing</legend>
      <p className="text-sm text-slate-600">Optional rules that change the price over time or as tickets sell.</p>
      <FieldMessage id={`${namePrefix}-rules-error`} errors={setErrors} />
      {rules.length > 0 ? (
        <ol className="mt-4 space-y-4">
          {rules.map((rule, index) => (
            <li key={rule.key}>
              <RuleEditor
                rule={rule}
                index={index}
                onChange={(r) => update(index, r)}
                onRemove={() => remove(index)}
                errors={errors}
                currency={currency}
                timeZone={timeZone}
                namePrefix={namePrefix}
              />
            </li>
          ))}
        </ol>
      ) : null}
      <div className="mt-4 flex flex-wrap gap-2">
        <button type="button" className={smallButton} onClick={() => onChange([...rules, newRule("time")])}>
          <span aria-hidden="true">+</span> Early bird
        </button>
        <button type="button" className={smallButton} onClick={() => onChange([...rules, newRule("demand")])} disabled={has("demand")}>
          <span aria-hidden="true">+</span> Demand pricing
        </button>
        <button type="button" className={smallButton} onClick={() => onChange([...rules, newRule("bounds")])} disabled={has("bounds")}>
          <span aria-hidden="true">+</span> Floor / ceiling
        </button>
      </div>
    </fieldset>
  );
}

function RuleEditor({
  rule,
  index,
  onChange,
  onRemove,
  errors,
  currency,
  timeZone,
  namePrefix,
}: {
  rule: RuleDraft;
  index: number;
  onChange: (rule: RuleDraft) => void;
  onRemove: () => void;
  errors: FieldErrors;
  currency: string;
  timeZone: string;
  namePrefix: string;
}) {
  const at = `pricing_rules.${index}`;
  const title = `${KIND_TITLES[rule.kind]} (rule ${index + 1})`;
  const ruleErrors = asErrors(errors[at]);
  const errorId = `${namePrefix}-${rule.key}-error`;
  const name = (field: string) => `${namePrefix}.${at}.${field}`;

  return (
    <fieldset
      className="min-w-0 rounded-lg border border-slate-200 bg-slate-50 p-3 sm:p-4"
      aria-describedby={ruleErrors.length ? errorId : undefined}
      data-invalid={ruleErrors.length > 0 || undefined}
    >
      <legend className="sr-only">{title}</legend>
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0 flex-1">
          <p className="text-sm font-semibold text-slate-900" aria-hidden="true">
            {title}
          </p>
          <p className="text-xs text-slate-600">{KIND_HELP[rule.kind]}</p>
        </div>
        <button
          type="button"
          onClick={onRemove}
          className="rounded-md px-2 py-1 text-sm font-semibold text-red-700 hover:bg-red-50"
          aria-label={`Remove ${title.toLowerCase()}`}
        >
          Remove
        </button>
      </div>
      <FieldMessage id={errorId} errors={ruleErrors} />

      {rule.kind === "time" ? (
        <div className="mt-3 grid gap-3 sm:grid-cols-2">
          <TextField
            label={`Until (${timeZone.replace(/_/g, " ")} time)`}
            type="datetime-local"
            name={name("until")}
            value={rule.until}
            onChange={(e) => onChange({ ...rule, until: e.target.value })}
            error={errors[`${at}.until`]}
            hint="The offer ends at this moment."
            containerClassName="sm:col-span-2"
          />
          <RadioGroup
            legend="Offer"
            name={name("mode")}
            value={rule.mode}
            inline
            onChange={(mode) => onChange({ ...rule, mode: mode as "price" | "percent" })}
            options={[
              { value: "percent", label: "Percentage" },
              { value: "price", label: "Fixed price" },
            ]}
          />
          {rule.mode === "percent" ? (
            <TextField
              label="Percent off"
              type="number"
              inputMode="numeric"
              min={1}
              max={100}
              step={1}
              name={name("percent_off")}
              value={rule.percent}
              onChange={(e) => onChange({ ...rule, percent: e.target.value })}
              error={errors[`${at}.percent_off`]}
            />
          ) : (
            <TextField
              label={`Price (${currency})`}
              type="number"
              inputMode="decimal"
              min={0}
              step={moneyStep(currency)}
              name={name("price_minor")}
              value={rule.price}
              onChange={(e) => onChange({ ...rule, price: e.target.value })}
              error={errors[`${at}.price_minor`]}
            />
          )}
        </div>
      ) : null}

      {rule.kind === "demand" ? (
        <DemandSteps
          steps={rule.steps}
          onChange={(steps) => onChange({ ...rule, steps })}
          errors={errors}
          at={at}
          currency={currency}
          name={name}
        />
      ) : null}

      {rule.kind === "bounds" ? (
        <div className="mt-3 grid gap-3 sm:grid-cols-2">
          <TextField
            label={`Lowest price (${currency})`}
            type="number"
            inputMode="decimal"
            min={0}
            step={moneyStep(currency)}
            name={name("floor_minor")}
            value={rule.floor}
            onChange={(e) => onChange({ ...rule, floor: e.target.value })}
            error={errors[`${at}.floor_minor`]}
            hint="Optional"
          />
          <TextField
            label={`Highest price (${currency})`}
            type="number"
            inputMode="decimal"
            min={0}
            step={moneyStep(currency)}
            name={name("ceiling_minor")}
            value={rule.ceiling}
            onChange={(e) => onChange({ ...rule, ceiling: e.target.value })}
            error={errors[`${at}.ceiling_minor`]}
            hint="Optional"
          />
        </div>
      ) : null}
    </fieldset>
  );
}

function DemandSteps({
  steps,
  onChange,
  errors,
  at,
  currency,
  name,
}: {
  steps: StepDraft[];
  onChange: (steps: StepDraft[]) => void;
  errors: FieldErrors;
  at: string;
  currency: string;
  name: (field: string) => string;
}) {
  const stepsErrors = asErrors(errors[`${at}.steps`]);
  return (
    <div className="mt-3">
      <FieldMessage id={`${name("steps")}-error`} errors={stepsErrors} />
      <ol className="space-y-3">
        {steps.map((step, j) => (
          <li key={step.key} className="grid grid-cols-[1fr_1fr_auto] items-start gap-2 sm:gap-3">
            <TextField
              label={`Step ${j + 1}: sold (%)`}
              type="number"
              inputMode="decimal"
              min={0}
              max={100}
              step="any"
              name={name(`steps.${j}.sold_share`)}
              value={step.share}
              onChange={(e) => onChange(steps.map((s, k) => (k === j ? { ...s, share: e.target.value } : s)))}
              error={errors[`${at}.steps.${j}.sold_share`]}
            />
            <TextField
              label={`Step ${j + 1}: price (${currency})`}
              type="number"
              inputMode="decimal"
              min={0}
              step={moneyStep(currency)}
              name={name(`steps.${j}.price_minor`)}
              value={step.price}
              onChange={(e) => onChange(steps.map((s, k) => (k === j ? { ...s, price: e.target.value } : s)))}
              error={errors[`${at}.steps.${j}.price_minor`]}
            />
            <button
              type="button"
              onClick={() => onChange(steps.filter((_, k) => k !== j))}
              disabled={steps.length === 1}
              aria-label={`Remove step ${j + 1}`}
              className="mt-7 rounded-md px-2 py-2 text-sm font-semibold text-red-700 hover:bg-red-50 disabled:opacity-40"
            >
              <span aria-hidden="true">✕</span>
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className={`${smallButton} mt-3`}
        onClick={() => {
          const last = steps[steps.length - 1];
          const share = last ? Math.min(100, Number(last.share || 0) + 25) : 50;
          onChange([...steps, { key: newKey(), share: String(share), price: "" }]);
        }}
      >
        <span aria-hidden="true">+</span> Add step
      </button>
    </div>
  );
}
