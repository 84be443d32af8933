import { useEffect, useState } from "react";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { LoadingButton } from "../../components/LoadingButton";
import { Spinner } from "../../components/Spinner";
import { describeError } from "../auth/problems";
import { formatLocal } from "../events/datetime";
import type { BookingRead } from "./bookingsApi";
import { fileNameOf, saveBlob, useAuthorizedFetch, useBookingTicketsQuery, type TicketRead } from "./ticketsApi";

const STATUS: Record<TicketRead["status"], { label: string; tone: "success" | "brand" | "neutral" }> = {
  valid: { label: "Valid", tone: "success" },
  checked_in: { label: "Checked in", tone: "brand" },
  void: { label: "Void", tone: "neutral" },
};

/** Loads an image that needs the bearer token and gives back an object URL for `<img src>`. */
function useAuthorizedImage(url: string | null): { src: string | null; failed: boolean } {
  const authorizedFetch = useAuthorizedFetch();
  const [state, setState] = useState<{ src: string | null; failed: boolean }>({ src: null, failed: false });
  useEffect(() => {
    if (!url) return;
    let objectUrl: string | null = null;
    let cancelled = false;
    setState({ src: null, failed: false });
    authorizedFetch(url)
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        const blob = await response.blob();
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setState({ src: objectUrl, failed: false });
      })
      .catch(() => {
        if (!cancelled) setState({ src: null, failed: true });
      });
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, authorizedFetch]);
  return state;
}

function TicketCard({ ticket, index, count }: { ticket: TicketRead; index: number; count: number }) {
  const isVoid = ticket.status === "void";
  const qr = useAuthorizedImage(isVoid ? null : ticket.qr_url);
  const authorizedFetch = useAuthorizedFetch();
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const status = STATUS[ticket.status];
  const headingId = `ticket-${ticket.id}`;

  async function download() {
    setDownloading(true);
    setDownloadError(null);
    try {
      const response = await authorizedFetch(ticket.pdf_url);
      if (!response.ok) throw new Error(String(response.status));
      saveBlob(await response.blob(), fileNameOf(response, `ticket-${ticket.code}.pdf`));
    } catch {
      setDownloadError("We couldn't download this ticket. Try again in a moment.");
    } finally {
      setDownloading(false);
    }
  }

  return (
    <li aria-labelledby={headingId} className="flex flex-col overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm sm:flex-row">
      <div className="flex items-center justify-center border-b border-dashed border-slate-300 bg-slate-50 p-4 sm:border-r sm:border-b-0">
        {isVoid ? (
          <div className="flex h-36 w-36 items-center justify-center rounded-xl bg-slate-100 text-center text-sm font-semibold text-slate-500">
            Ticket void
          </div>
        ) : qr.src ? (
          <img src={qr.src} alt={`QR code for ticket ${ticket.code}`} className="h-36 w-36 rounded-lg bg-white p-1" />
        ) : qr.failed ? (
          <div className="flex h-36 w-36 items-center justify-center rounded-xl bg-slate-100 p-3 text-center text-xs text-slate-600">
            QR code unavailable. Download the PDF instead.
          </div>
        ) : (
          <div role="status" className="flex h-36 w-36 items-center justify-center rounded-xl bg-slate-100">
            <Spinner className="h-6 w-6 text-brand-600" />
            <span className="sr-only">Loading QR code…</span>
          </div>
        )}
      </div>
      <div className="flex min-w-0 flex-1 flex-col gap-2 p-4">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <h3 id={headingId} className="min-w-0 font-semibold break-words text-slate-900">
            {ticket.ticket_type_name}
            <span className="sr-only">
              , ticket {index + 1} of {count}
            </span>
          </h3>
          <Badge tone={status.tone}>{status.label}</Badge>
        </div>
        {ticket.attendee_name ? <p className="text-sm break-words text-slate-700">{ticket.attendee_name}</p> : null}
        <p className="text-xs text-slate-600">
          <span className="font-medium text-slate-700">Ticket code</span>{" "}
          <span className="font-mono break-all text-slate-700">{ticket.code}</span>
        </p>
        {ticket.checked_in_at ? (
          <p className="text-xs text-slate-600">Checked in {formatLocal(ticket.checked_in_at)}</p>
        ) : null}
        {!isVoid ? (
          <div className="mt-auto pt-2">
            <LoadingButton
              variant="secondary"
              size="sm"
              loading={downloading}
              loadingText="Downloading…"
              aria-label={`Download PDF of ticket ${ticket.code}`}
              onClick={() => void download()}
            >
              Download PDF
            </LoadingButton>
            {downloadError ? (
              <p role="alert" className="mt-2 text-sm text-red-700">
                {downloadError}
              </p>
            ) : null}
          </div>
        ) : null}
      </div>
    </li>
  );
}

/**
 * The booking's QR tickets (once confirmed), each with a PDF download. With `onRefund`, a
 * "Refund tickets" action is offered while some (but not only one) tickets are still valid: a
 * single remaining ticket is what "Cancel booking" refunds.
 */
export function TicketsSection({ booking, onRefund }: { booking: BookingRead; onRefund?: () => void }) {
  const hasTickets = booking.status === "confirmed" || (booking.status === "cancelled" && booking.confirmed_at !== null);
  const query = useBookingTicketsQuery(booking.id, { skip: !hasTickets });

  let body;
  if (!hasTickets) {
    body = (
      <p className="text-sm text-slate-600">
        {booking.status === "pending_payment"
          ? "Your tickets appear here as soon as your payment is confirmed."
          : "This booking has no tickets."}
      </p>
    );
  } else if (query.isLoading) {
    body = (
      <div role="status" className="flex items-center gap-2 text-sm text-slate-600">
        <Spinner className="h-4 w-4 text-brand-600" /> Loading your tickets…
      </div>
    );
  } else if (query.isError) {
    const info = describeError(query.error);
    body = (
      <div className="rounded-xl border border-slate-200 bg-slate-50 px-4 py-4 text-sm text-slate-700">
        <p>
          {info.status === 404
            ? "Your tickets are being issued. They'll appear here shortly, and we'll email them to you too."
            : `We couldn't load your tickets. ${info.message}`}
        </p>
        <Button variant="secondary" className="mt-3" onClick={() => void query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? "Checking…" : "Check again"}
        </Button>
      </div>
    );
  } else if (!query.data || query.data.length === 0) {
    body = (
      <div className="rounded-xl border border-slate-200 bg-slate-50 px-4 py-4 text-sm text-slate-700">
        <p>Your tickets are being issued. They'll appear here shortly.</p>
        <Button variant="secondary" className="mt-3" onClick={() => void query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? "Checking…" : "Check again"}
        </Button>
      </div>
    );
  } else {
    const tickets = query.data;
    body = (
      <ul role="list" className="grid gap-4">
        {tickets.map((ticket, i) => (
          <TicketCard key={ticket.id} ticket={ticket} index={i} count={tickets.length} />
        ))}
      </ul>
    );
  }

  const live = (query.data ?? []).filter((t) => t.status !== "void");
  const canRefund = onRefund !== undefined && booking.status === "confirmed" && live.length >= 2 && live.some((t) => t.status === "valid");

  return (
    <section aria-labelledby="tickets-title">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="tickets-title" className="text-lg font-semibold text-slate-900">
          Tickets
        </h2>
        {canRefund ? (
          <Button variant="secondary" className="px-3 py-2" aria-haspopup="dialog" onClick={onRefund}>
            Refund some tickets
          </Button>
        ) : null}
      </div>
      {body}
    </section>
  );
}
