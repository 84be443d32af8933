import { useCallback } from "react";
import { useStore } from "react-redux";
import { api } from "../../app/api";
import { useAppDispatch } from "../../app/hooks";
import type { components, paths } from "../../api/schema";
import type { AuthState } from "../auth/authSlice";
import { refreshSession } from "../auth/refresh";

/** One ticket; `qr_url` (`/api/tickets/{id}/qr.svg`) and `pdf_url` need the bearer token. */
export type TicketRead = components["schemas"]["TicketRead"];

const BOOKING_TICKETS = "/api/bookings/{booking_id}/tickets" satisfies keyof paths;

export const ticketsApi = api.enhanceEndpoints({ addTagTypes: ["Ticket"] }).injectEndpoints({
  endpoints: (build) => ({
    /** tickets-for-booking */
    bookingTickets: build.query<TicketRead[], string>({
      query: (bookingId) => BOOKING_TICKETS.replace("{booking_id}", encodeURIComponent(bookingId)),
      providesTags: (_tickets, _error, bookingId) => [{ type: "Ticket", id: bookingId }],
    }),
  }),
});

export const { useBookingTicketsQuery } = ticketsApi;

/**
 * `fetch` for files behind the bearer token (QR images, PDFs), which `<img src>` and plain links
 * cannot send. On a 401 the session is refreshed once (the same single-flight refresh as the API
 * client) and the request retried.
 */
export function useAuthorizedFetch(): (url: string) => Promise<Response> {
  const store = useStore<{ auth: AuthState }>();
  const dispatch = useAppDispatch();
  return useCallback(
    async (url: string) => {
      const send = () => {
        const token = store.getState().auth.accessToken;
        return fetch(new URL(url, window.location.origin), {
          credentials: "same-origin",
          headers: token ? { Authorization: `Bearer ${token}` } : {},
        });
      };
      let response = await send();
      if (response.status === 401) {
        const refreshed = await dispatch(refreshSession());
        if (refreshed.ok) response = await send();
      }
      return response;
    },
    [store, dispatch],
  );
}

/** "ticket-ABC123.pdf" from `Content-Disposition`, or the fallback. */
export function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get("Content-Disposition") ?? "";
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ""));
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1]?.trim() || fallback;
}

/** Hands a downloaded file to the browser's "save" machinery. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
