import { Badge, type BadgeTone } from "../../components/Badge";
import type { BookingStatus } from "./bookingsApi";

export const BOOKING_STATUS: Record<BookingStatus, { label: string; tone: BadgeTone }> = {
  pending_payment: { label: "Awaiting payment", tone: "warning" },
  confirmed: { label: "Confirmed", tone: "success" },
  cancelled: { label: "Cancelled", tone: "danger" },
  expired: { label: "Expired", tone: "neutral" },
};

export function BookingStatusBadge({ status }: { status: BookingStatus }) {
  const { label, tone } = BOOKING_STATUS[status];
  return <Badge tone={tone}>{label}</Badge>;
}
