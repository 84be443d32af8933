import { Badge } from "../../components/Badge";
import { QuantityStepper } from "../../components/QuantityStepper";
import { FEW_LEFT_THRESHOLD, formatMoney } from "../../lib/format";
import { formatInZone } from "./datetime";
import type { EventRead, TicketTypeRead } from "./eventsApi";
import { maxSelectable, type Quantities } from "./pricing";

function Price({ ticketType, locale }: { ticketType: TicketTypeRead; locale?: string }) {
  const now = ticketType.price_minor;
  const base = ticketType.base_price_minor;
  const current = now === 0 ? "Free" : formatMoney(now, ticketType.currency, locale);
  return (
    <p className="flex flex-wrap items-baseline justify-end gap-x-2 text-right">
      {base !== now ? (
        <span className="text-sm text-slate-500 line-through">
          <span className="sr-only">Usual price </span>
          {formatMoney(base, ticketType.currency, locale)}
        </span>
      ) : null}
      <span className="text-lg font-semibold text-slate-900">
        {base !== now ? <span className="sr-only">Now </span> : null}
        {current}
      </span>
    </p>
  );
}

function Availability({ ticketType, timeZone, locale }: { ticketType: TicketTypeRead; timeZone: string; locale?: string }) {
  // `remaining-<id>` (with data-remaining) follows the live count; browser tests read it.
  const remaining = { "data-testid": `remaining-${ticketType.id}`, "data-remaining": ticketType.remaining };
  switch (ticketType.sales_status) {
    case "sold_out":
      return (
        <span {...remaining} data-remaining={0}>
          <Badge tone="dark">Sold out</Badge>
        </span>
      );
    case "ended":
      return <Badge tone="neutral">Sales ended</Badge>;
    case "unavailable":
      return <Badge tone="neutral">Not on sale</Badge>;
    case "scheduled":
      return (
        <Badge tone="brand" wrap>
          On sale from {formatInZone(ticketType.sales_start, timeZone, locale)}
        </Badge>
      );
    case "on_sale":
      if (ticketType.remaining <= FEW_LEFT_THRESHOLD) {
        return (
          <span {...remaining}>
            <Badge tone="warning">Few left: {ticketType.remaining} remaining</Badge>
          </span>
        );
      }
      return (
        <span {...remaining} className="text-slate-600 tabular-nums">
          {ticketType.remaining} left
        </span>
      );
  }
}

function TicketRow({
  ticketType,
  event,
  quantity,
  onChange,
  locale,
}: {
  ticketType: TicketTypeRead;
  event: EventRead;
  quantity: number;
  onChange: (quantity: number) => void;
  locale?: string;
}) {
  const max = maxSelectable(ticketType);
  const onSale = ticketType.sales_status === "on_sale";
  const priceChanges = ticketType.price_valid_until
    ? formatInZone(ticketType.price_valid_until, event.timezone, locale)
    : null;
  const limits: string[] = [];
  if (onSale && ticketType.min_per_order > 1) limits.push(`Minimum ${ticketType.min_per_order} per order`);
  if (onSale && ticketType.max_per_order < ticketType.remaining) limits.push(`Up to ${ticketType.max_per_order} per order`);
  const headingId = `tier-${ticketType.id}`;

  return (
    <li
      aria-labelledby={headingId}
      className={`rounded-2xl border bg-white p-4 shadow-sm transition-colors sm:p-5 ${quantity > 0 ? "border-brand-500 ring-1 ring-brand-500" : "border-slate-200"}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1 basis-48">
          <h3 id={headingId} className="text-base font-semibold break-words text-slate-900">
            {ticketType.name}
          </h3>
          {ticketType.description ? <p className="mt-1 text-sm break-words text-slate-600">{ticketType.description}</p> : null}
        </div>
        <Price ticketType={ticketType} {...(locale ? { locale } : {})} />
      </div>

      <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 flex-1 basis-48 flex-col gap-1.5 text-sm">
          <div className="flex flex-wrap gap-2">
            <Availability ticketType={ticketType} timeZone={event.timezone} {...(locale ? { locale } : {})} />
          </div>
          {priceChanges && onSale ? (
            <p className="text-amber-800">
              {ticketType.price_minor < ticketType.base_price_minor ? "Early-bird price: price rises on " : "Price changes on "}
              {priceChanges}
            </p>
          ) : null}
          {onSale && ticketType.sales_end ? (
            <p className="text-slate-600">Sales end {formatInZone(ticketType.sales_end, event.timezone, locale)}</p>
          ) : null}
          {limits.length ? <p className="text-slate-600">{limits.join(" · ")}</p> : null}
        </div>
        <QuantityStepper
          label={ticketType.name}
          value={quantity}
          min={ticketType.min_per_order}
          max={max}
          disabled={max === 0}
          onChange={onChange}
        />
      </div>
    </li>
  );
}

export function TicketList({
  event,
  ticketTypes,
  quantities,
  onChange,
  locale,
}: {
  event: EventRead;
  ticketTypes: TicketTypeRead[];
  quantities: Quantities;
  onChange: (ticketTypeId: string, quantity: number) => void;
  locale?: string;
}) {
  if (ticketTypes.length === 0) {
    return (
      <p className="rounded-2xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-600">
        Tickets aren't available yet. Check back soon.
      </p>
    );
  }
  return (
    <ul role="list" className="space-y-3">
      {ticketTypes.map((t) => (
        <TicketRow
          key={t.id}
          ticketType={t}
          event={event}
          quantity={quantities[t.id] ?? 0}
          onChange={(q) => onChange(t.id, q)}
          {...(locale ? { locale } : {})}
        />
      ))}
    </ul>
  );
}
