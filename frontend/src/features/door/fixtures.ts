import type { CheckInResult, DoorEvent, DoorTicket } from "./doorApi";

export const DOOR_EVENT_ID = "6f1c2a4e-0000-4000-8000-000000000001";
export const OTHER_EVENT_ID = "6f1c2a4e-0000-4000-8000-000000000099";
/** Shaped like a real code (`BX1.<payload>.<signature>`); only the server can tell it is genuine. */
export const CODE_A = "BX1.AQEAAAAAAAAAAAAAAAAAAAABbxwqTgAAQACAAAAAAAAAAQ.c2lnbmF0dXJlLWE";
export const CODE_B = "BX1.AQEAAAAAAAAAAAAAAAAAAAACbxwqTgAAQACAAAAAAAAAAQ.c2lnbmF0dXJlLWI";

export function makeDoor(overrides: Partial<DoorEvent> = {}): DoorEvent {
  return {
    id: DOOR_EVENT_ID,
    title: "Lisbon Jazz Night",
    starts_at: "2030-06-14T20:00:00Z",
    timezone: "Europe/Lisbon",
    venue_name: "Casa Azul",
    role: "staff",
    ...overrides,
  };
}

export function makeDoorTicket(overrides: Partial<DoorTicket> = {}): DoorTicket {
  return {
    id: "d0000000-0000-4000-8000-000000000001",
    booking_id: "b0000000-0000-4000-8000-000000000001",
    event_id: DOOR_EVENT_ID,
    event_title: "Lisbon Jazz Night",
    event_starts_at: "2030-06-14T20:00:00Z",
    event_timezone: "Europe/Lisbon",
    ticket_type_id: "70000000-0000-4000-8000-000000000001",
    ticket_type_name: "General admission",
    attendee_name: "Ana Silva",
    attendee_email: "ana@example.com",
    code: CODE_A,
    status: "valid",
    checked_in_at: null,
    checked_in_by_name: null,
    qr_url: "/api/tickets/d0000000-0000-4000-8000-000000000001/qr.svg",
    pdf_url: "/api/tickets/d0000000-0000-4000-8000-000000000001/pdf",
    ...overrides,
  };
}

export function makeCheckIn(overrides: Partial<DoorTicket> = {}, counts = { checked_in: 11, sold: 100 }): CheckInResult {
  return {
    result: "admitted",
    ticket: makeDoorTicket({ status: "checked_in", checked_in_at: "2030-06-14T20:04:00Z", checked_in_by_name: "Sam Staff", ...overrides }),
    ...counts,
  };
}
