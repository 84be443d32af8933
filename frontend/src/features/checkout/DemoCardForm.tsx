import { useState, type FormEvent } from "react";
import { Badge } from "../../components/Badge";
import { LoadingButton } from "../../components/LoadingButton";
import { TextField } from "../../components/TextField";

export const SUCCESS_CARD = "4242 4242 4242 4242";

/** "4000000000000002" -> "4000 0000 0000 0002" */
export function groupCardNumber(raw: string): string {
  return raw
    .replace(/\D/g, "")
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, "$1 ");
}

/**
 * The demo-mode card form: payments are simulated by the server, any card number succeeds
 * except the decline card. Makes it obvious that no money moves.
 */
export function DemoCardForm({
  amountLabel,
  declineCard,
  busy,
  busyText,
  onPay,
}: {
  amountLabel: string;
  declineCard: string | null;
  busy: boolean;
  busyText: string;
  onPay: (cardNumber: string) => void;
}) {
  const [card, setCard] = useState(SUCCESS_CARD);
  const [error, setError] = useState<string | undefined>(undefined);
  const decline = declineCard ? groupCardNumber(declineCard) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    const digits = card.replace(/\D/g, "");
    if (digits.length < 12 || digits.length > 19) {
      setError("Enter a card number of 12 to 19 digits.");
      return;
    }
    setError(undefined);
    onPay(groupCardNumber(digits));
  }

  const fill = (value: string) => () => {
    setCard(value);
    setError(undefined);
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <div className="rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
        <p className="flex flex-wrap items-center gap-2 font-semibold">
          <Badge tone="warning">Demo mode — no real money</Badge>
        </p>
        <p className="mt-2">This server simulates payments: no card is charged and nothing leaves your account.</p>
      </div>

      <TextField
        label="Card number"
        name="card_number"
        value={card}
        onChange={(e) => {
          setCard(groupCardNumber(e.target.value));
          if (error) setError(undefined);
        }}
        inputMode="numeric"
        autoComplete="cc-number"
        maxLength={23}
        disabled={busy}
        error={error}
        className="font-mono tracking-wider"
        hint={
          <>
            <p>
              Test cards: <span className="font-mono whitespace-nowrap">{SUCCESS_CARD}</span> pays successfully
              {decline ? (
                <>
                  {" "}and <span className="font-mono whitespace-nowrap">{decline}</span> is declined
                </>
              ) : null}
              .
            </p>
            <div className="mt-2 flex flex-wrap gap-2">
              <button
                type="button"
                onClick={fill(SUCCESS_CARD)}
                disabled={busy}
                className="rounded-md px-2 py-1 text-xs font-semibold text-brand-700 ring-1 ring-brand-100 ring-inset hover:bg-brand-50"
              >
                Use the success card
              </button>
              {decline ? (
                <button
                  type="button"
                  onClick={fill(decline)}
                  disabled={busy}
                  className="rounded-md px-2 py-1 text-xs font-semibold text-slate-700 ring-1 ring-slate-300 ring-inset hover:bg-slate-50"
                >
                  Use the declined card
                </button>
              ) : null}
            </div>
          </>
        }
      />

      <LoadingButton type="submit" className="w-full py-3 text-base" loading={busy} loadingText={busyText}>
        Pay {amountLabel}
      </LoadingButton>
    </form>
  );
}
