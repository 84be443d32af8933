import { fromZonedInput, toZonedInput } from "./datetime";
import type { FieldErrors } from "./errors";
import { minorToInput, parseMoney, parseWhole } from "./money";
import type { PricingRule, TicketTypeCreate, TicketTypeRead, TicketTypeUpdate } from "./organizerApi";

/** A pricing rule as the form edits it (text as typed; shares in percent; times in the event's timezone). */
export type RuleDraft =
  | { key: string; kind: "time"; until: string; mode: "price" | "percent"; price: string; percent: string }
  | { key: string; kind: "demand"; steps: StepDraft[] }
  | { key: string; kind: "bounds"; floor: string; ceiling: string };

export interface StepDraft {
  key: string;
  share: string;
  price: string;
}

export interface TicketTypeValues {
  name: string;
  description: string;
  price: string;
  capacity: string;
  sales_start: string;
  sales_end: string;
  min_per_order: string;
  max_per_order: string;
  hidden: boolean;
  rules: RuleDraft[];
}

export const TICKET_TYPE_FIELDS = [
  "name",
  "description",
  "price_minor",
  "capacity",
  "sales_start",
  "sales_end",
  "min_per_order",
  "max_per_order",
  "hidden",
] as const;

export const TICKET_TYPE_LABELS: Record<string, string> = {
  name: "Name",
  description: "Description",
  price_minor: "Price",
  capacity: "Capacity",
  sales_start: "Sales open",
  sales_end: "Sales close",
  min_per_order: "Minimum per order",
  max_per_order: "Maximum per order",
  currency: "Currency",
  sort_order: "Order",
  pricing_rules: "Pricing rules",
};

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `r${counter}`;
}

export function emptyTicketType(): TicketTypeValues {
  return {
    name: "",
    description: "",
    price: "",
    capacity: "100",
    sales_start: "",
    sales_end: "",
    min_per_order: "1",
    max_per_order: "10",
    hidden: false,
    rules: [],
  };
}

export function newRule(kind: RuleDraft["kind"]): RuleDraft {
  if (kind === "time") return { key: newKey(), kind, until: "", mode: "percent", price: "", percent: "20" };
  if (kind === "demand") return { key: newKey(), kind, steps: [{ key: newKey(), share: "50", price: "" }] };
  return { key: newKey(), kind, floor: "", ceiling: "" };
}

function shareToPercent(share: number): string {
  return String(Math.round(share * 10000) / 100);
}

export function ruleToDraft(rule: PricingRule, timeZone: string, currency: string): RuleDraft {
  if (rule.kind === "time") {
    return {
      key: newKey(),
      kind: "time",
      until: toZonedInput(rule.until, timeZone),
      mode: rule.percent_off !== null && rule.percent_off !== undefined ? "percent" : "price",
      price: minorToInput(rule.price_minor ?? null, currency),
      percent: rule.percent_off !== null && rule.percent_off !== undefined ? String(rule.percent_off) : "",
    };
  }
  if (rule.kind === "demand") {
    return {
      key: newKey(),
      kind: "demand",
      steps: rule.steps.map((s) => ({ key: newKey(), share: shareToPercent(s.sold_share), price: minorToInput(s.price_minor, currency) })),
    };
  }
  return {
    key: newKey(),
    kind: "bounds",
    floor: minorToInput(rule.floor_minor ?? null, currency),
    ceiling: minorToInput(rule.ceiling_minor ?? null, currency),
  };
}

export function ticketTypeToValues(t: TicketTypeRead, timeZone: string): TicketTypeValues {
  return {
    name: t.name,
    description: t.description,
    price: minorToInput(t.base_price_minor, t.currency),
    capacity: String(t.capacity),
    sales_start: toZonedInput(t.sales_start, timeZone),
    sales_end: toZonedInput(t.sales_end, timeZone),
    min_per_order: String(t.min_per_order),
    max_per_order: String(t.max_per_order),
    hidden: t.hidden,
    rules: (t.pricing_rules ?? []).map((r) => ruleToDraft(r, timeZone, t.currency)),
  };
}

/** The rules for the API, and the inputs the browser already knows are wrong. */
export function draftsToRules(drafts: readonly RuleDraft[], currency: string): { rules: PricingRule[]; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const money = (text: string, field: string): number | null => {
    const value = parseMoney(text, currency);
    if (value === null) add(field, "Enter an amount, e.g. 12.50.");
    return value;
  };
  const rules: PricingRule[] = drafts.map((draft, i) => {
    const at = `pricing_rules.${i}`;
    if (draft.kind === "time") {
      if (!draft.until) add(`${at}.until`, "Choose when this price ends.");
      const until = fromZonedInput(draft.until) ?? "";
      if (draft.mode === "price") return { kind: "time", until, price_minor: money(draft.price, `${at}.price_minor`) ?? 0 };
      const percent = parseWhole(draft.percent);
      if (percent === null || Number.isNaN(percent)) add(`${at}.percent_off`, "Enter a whole percentage, e.g. 20.");
      return { kind: "time", until, percent_off: percent ?? 0 };
    }
    if (draft.kind === "demand") {
      return {
        kind: "demand",
        steps: draft.steps.map((step, j) => {
          const share = Number(step.share.trim().replace(",", "."));
          if (!step.share.trim() || Number.isNaN(share)) add(`${at}.steps.${j}.sold_share`, "Enter a percentage of capacity, e.g. 50.");
          else if (share <= 0 || share > 100) add(`${at}.steps.${j}.sold_share`, "Use a share above 0 and at most 100 %.");
          return {
            sold_share: Math.round(share * 100) / 10000,
            price_minor: money(step.price, `${at}.steps.${j}.price_minor`) ?? 0,
          };
        }),
      };
    }
    const rule: PricingRule = { kind: "bounds" };
    if (draft.floor.trim()) rule.floor_minor = money(draft.floor, `${at}.floor_minor`);
    if (draft.ceiling.trim()) rule.ceiling_minor = money(draft.ceiling, `${at}.ceiling_minor`);
    return rule;
  });
  return { rules, errors };
}

function wholeOrError(text: string, field: string, errors: FieldErrors, required: boolean): number | null {
  const value = parseWhole(text);
  if (value === null) {
    if (required) (errors[field] ??= []).push("Required.");
    return null;
  }
  if (Number.isNaN(value) || value < 0) {
    (errors[field] ??= []).push("Use a whole number.");
    return null;
  }
  return value;
}

export function valuesToCreate(
  values: TicketTypeValues,
  currency: string,
  sortOrder: number,
): { body: TicketTypeCreate; errors: FieldErrors } {
  const { rules, errors } = draftsToRules(values.rules, currency);
  if (!values.name.trim()) (errors.name ??= []).push("Give the ticket type a name.");
  const price = parseMoney(values.price, currency);
  if (price === null) (errors.price_minor ??= []).push("Enter a price, e.g. 25.00 (0 for free).");
  const body: TicketTypeCreate = {
    name: values.name.trim(),
    description: values.description.trim(),
    price_minor: price ?? 0,
    currency,
    capacity: wholeOrError(values.capacity, "capacity", errors, true) ?? 0,
    sales_start: fromZonedInput(values.sales_start),
    sales_end: fromZonedInput(values.sales_end),
    min_per_order: wholeOrError(values.min_per_order, "min_per_order", errors, true) ?? 1,
    max_per_order: wholeOrError(values.max_per_order, "max_per_order", errors, true) ?? 10,
    sort_order: sortOrder,
    hidden: values.hidden,
    pricing_rules: rules,
  };
  return { body, errors };
}

/** Only what changed: the server re-checks sent sales dates against "now", so unchanged ones stay out. */
export function valuesToUpdate(
  initial: TicketTypeValues,
  values: TicketTypeValues,
  currency: string,
): { body: TicketTypeUpdate; errors: FieldErrors } {
  const { body: full, errors } = valuesToCreate(values, currency, 0);
  const body: TicketTypeUpdate = {};
  if (initial.name !== values.name) body.name = full.name;
  if (initial.description !== values.description) body.description = full.description;
  if (parseMoney(initial.price, currency) !== parseMoney(values.price, currency)) body.price_minor = full.price_minor;
  if (initial.capacity !== values.capacity) body.capacity = full.capacity;
  if (initial.sales_start !== values.sales_start) body.sales_start = full.sales_start ?? null;
  if (initial.sales_end !== values.sales_end) body.sales_end = full.sales_end ?? null;
  if (initial.min_per_order !== values.min_per_order) body.min_per_order = full.min_per_order;
  if (initial.max_per_order !== values.max_per_order) body.max_per_order = full.max_per_order;
  if (initial.hidden !== values.hidden) body.hidden = values.hidden;
  const before = JSON.stringify(draftsToRules(initial.rules, currency).rules);
  if (before !== JSON.stringify(full.pricing_rules)) body.pricing_rules = full.pricing_rules ?? [];
  return { body, errors };
}

/** "20 % off until 1 May, 23:59" and the like, for the ticket type's card. */
export function describeRule(rule: PricingRule, format: { money: (minor: number) => string; time: (iso: string) => string }): string {
  if (rule.kind === "time") {
    const offer = rule.percent_off ? `${rule.percent_off} % off` : `${format.money(rule.price_minor ?? 0)}`;
    return `Early bird: ${offer} until ${format.time(rule.until)}`;
  }
  if (rule.kind === "demand") {
    return `Demand: ${rule.steps.map((s) => `${format.money(s.price_minor)} from ${shareToPercent(s.sold_share)} % sold`).join(", ")}`;
  }
  const parts = [
    rule.floor_minor !== null && rule.floor_minor !== undefined ? `at least ${format.money(rule.floor_minor)}` : null,
    rule.ceiling_minor !== null && rule.ceiling_minor !== undefined ? `at most ${format.money(rule.ceiling_minor)}` : null,
  ].filter(Boolean);
  return `Price ${parts.join(" and ")}`;
}

/**
 * The server speaks in API terms (shares 0–1, `price_minor`); the form in percent and prices.
 * Rewrites the messages the rules editor shows.
 */
export function friendlyRuleMessage(field: string, message: string): string {
  if (field.endsWith(".sold_share")) {
    if (/less than or equal to 1\b/.test(message)) return "Use at most 100 %.";
    if (/greater than 0\b/.test(message)) return "Use more than 0 %.";
  }
  const known: [RegExp, string][] = [
    [/give exactly one of price_minor or percent_off/i, "Give either a fixed price or a percentage."],
    [/give floor_minor, ceiling_minor or both/i, "Give a lowest price, a highest price or both."],
    [/floor_minor must not exceed ceiling_minor/i, "The lowest price can't be above the highest price."],
    [/steps must be ordered by strictly increasing sold_share/i, "Order the steps by a rising sold share."],
    [/a later step may not be cheaper than an earlier one/i, "A later step can't be cheaper than an earlier one."],
  ];
  for (const [pattern, text] of known) if (pattern.test(message)) return text;
  return message.replace(/\bprice_minor\b/g, "price").replace(/\bsold_share\b/g, "sold share");
}
