import { io } from "socket.io-client";
import type { AppStore } from "../app/store";
import type { AuthState } from "../features/auth/authSlice";
import { refreshSession, type RefreshOutcome } from "../features/auth/refresh";
import {
  isServerMessage,
  JOIN_EVENT,
  JOIN_ORGANIZER,
  LEAVE_EVENT,
  LEAVE_ORGANIZER,
  SERVER_EVENTS,
  subjectOf,
  type Ack,
  type ServerEvent,
  type ServerMessages,
} from "./messages";

/**
 * The state of the tab's live connection, as the "Live" pill shows it:
 * - connecting: the first attempt is under way;
 * - live: connected (rooms are being joined or are joined);
 * - reconnecting: the connection dropped (or an attempt failed) and is being retried;
 * - offline: the browser is offline, or several attempts in a row failed (retries go on).
 */
export type LiveStatus = "connecting" | "live" | "reconnecting" | "offline";

/** A room's view of the connection; `unavailable` when the server refused to let us in (e.g. a draft event). */
export type RoomStatus = LiveStatus | "unavailable";

/** The part of socket.io-client's `Socket` this module uses (a fake implements it in tests). */
export interface RealtimeSocket {
  readonly connected: boolean;
  /** False once the server refused the connection or it was closed by either side: connect() again. */
  readonly active: boolean;
  connect(): unknown;
  disconnect(): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown };
}

export interface SocketOptions {
  path: string;
  transports: string[];
  autoConnect: boolean;
  /** Called on every (re)connection, so a reconnect always sends the current token. */
  auth: (callback: (data: Record<string, unknown>) => void) => void;
}

export type SocketFactory = (options: SocketOptions) => RealtimeSocket;

/**
 * Same origin as the page (Vite proxies /socket.io in development). WebSocket only: the server's
 * replicas share rooms through Redis but not long-polling sessions (no sticky sessions anywhere).
 */
const browserSocket: SocketFactory = (options) => io(options);

let socketFactory: SocketFactory = browserSocket;

/** Tests hand in a fake; `null` puts the real socket.io-client back. */
export function setSocketFactory(factory: SocketFactory | null): void {
  socketFactory = factory ?? browserSocket;
}

const SOCKET_PATH = "/socket.io/";
/** Codes of a refused token: refresh it and connect again. */
const TOKEN_CODES = new Set(["token_expired", "invalid_token", "session_revoked"]);
const ACK_TIMEOUT_MS = 10_000;
const JOIN_RETRY_MS = 2_000;
/** How many subjects' last `at` the ordering check remembers. */
const MAX_REMEMBERED = 2_000;
/** Keep the socket this long after the last page that needed it went away (navigation). */
export const LINGER_MS = 5_000;
/** After this many failed attempts in a row the pill says "Offline" (while retrying). */
const OFFLINE_AFTER_FAILURES = 3;
/** Retries after the server refused the connection (socket.io-client only retries transport failures). */
const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export interface RoomSpec {
  /** `event:<id>` or `organizer:<id>` (`organizer:me` for one's own room). */
  key: string;
  join: string;
  leave: string;
  payload: Record<string, string>;
}

export function eventRoom(eventId: string): RoomSpec {
  return { key: `event:${eventId}`, join: JOIN_EVENT, leave: LEAVE_EVENT, payload: { event_id: eventId } };
}

/** One's own organizer room, or (admins) another organizer's. */
export function organizerRoom(organizerId?: string | null): RoomSpec {
  return {
    key: `organizer:${organizerId ?? "me"}`,
    join: JOIN_ORGANIZER,
    leave: LEAVE_ORGANIZER,
    payload: organizerId ? { organizer_id: organizerId } : {},
  };
}

interface Room {
  spec: RoomSpec;
  refs: number;
  state: "pending" | "joined" | "refused";
  code: string | null;
  attempts: number;
}

/** What the client needs from the app: the token, who is signed in, and a way to refresh. */
export interface SessionSource {
  token(): string | null;
  userId(): string | null;
  /** True while the first session check is in flight: connecting now would only be redone. */
  checking(): boolean;
  subscribe(listener: () => void): () => void;
  refresh(): Promise<RefreshOutcome>;
}

type Listener<E extends ServerEvent> = (message: ServerMessages[E]) => void;

/**
 * One Socket.IO connection per tab, shared by every page: created when a page first needs it,
 * closed a little after the last one goes. Rooms are reference-counted and joined again after
 * every reconnection (the server does not replay messages; it sends a fresh availability snapshot
 * on join, and `onResync` listeners refetch the rest over HTTP).
 */
export class RealtimeClient {
  private socket: RealtimeSocket | null = null;
  private status: LiveStatus = "connecting";
  private readonly statusListeners = new Set<() => void>();
  private readonly listeners = new Map<ServerEvent, Set<Listener<ServerEvent>>>();
  private readonly resyncListeners = new Set<() => void>();
  private readonly rooms = new Map<string, Room>();
  /** Ordering: the newest `at` applied per subject (see `subjectOf`). */
  private readonly lastAt = new Map<string, number>();
  private users = 0;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private connectedBefore = false;
  private refreshing = false;
  private tokenRetried = false;
  /** The token was refused and could not be renewed: stay anonymous until the session changes. */
  private anonymousFor: string | null = null;
  /** The token sent with the current (or last) connection attempt. */
  private sentToken: string | null = null;
  private authenticated = false;
  private identity: { token: string | null; userId: string | null };
  private readonly stopWatching: () => void;
  private closed = false;

  constructor(
    private readonly session: SessionSource,
    private readonly factory: () => SocketFactory = () => socketFactory,
  ) {
    this.identity = { token: session.token(), userId: session.userId() };
    this.stopWatching = session.subscribe(() => this.sessionChanged());
    if (typeof window !== "undefined") {
      window.addEventListener("online", this.wentOnline);
      window.addEventListener("offline", this.wentOffline);
    }
  }

  // --- what hooks use ------------------------------------------------------------------------

  getStatus = (): LiveStatus => this.status;

  subscribeStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  /** The status a page following `key` should show. */
  roomStatus(key: string): RoomStatus {
    const room = this.rooms.get(key);
    if (this.status !== "live" || !room) return this.status;
    return room.state === "refused" ? "unavailable" : "live";
  }

  /** Whether the live connection is signed in (so `booking_status` messages arrive). */
  isAuthenticated(): boolean {
    return this.status === "live" && this.authenticated;
  }

  /** Keeps the connection open until the returned function is called. */
  retain(): () => void {
    this.users += 1;
    clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.ensureConnected();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.users -= 1;
      if (this.users === 0) this.lingerTimer = setTimeout(() => this.teardown(), LINGER_MS);
    };
  }

  /** Joins a room (once, however many pages follow it) until the returned function is called. */
  joinRoom(spec: RoomSpec): () => void {
    const release = this.retain();
    let room = this.rooms.get(spec.key);
    if (room) {
      room.refs += 1;
    } else {
      room = { spec, refs: 1, state: "pending", code: null, attempts: 0 };
      this.rooms.set(spec.key, room);
      this.sendJoin(room);
    }
    const joined = room;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      joined.refs -= 1;
      if (joined.refs === 0 && this.rooms.get(spec.key) === joined) {
        this.rooms.delete(spec.key);
        if (this.socket?.connected) this.socket.emit(spec.leave, spec.payload);
        this.notify();
      }
      release();
    };
  }

  /**
   * Asks for a fresh availability snapshot of a joined event room (joining again is idempotent:
   * the server answers with the counters read from the database now).
   */
  requestSnapshot(key: string): void {
    const room = this.rooms.get(key);
    if (!room || room.state === "refused" || !this.socket?.connected) return;
    room.attempts = 0;
    this.sendJoin(room);
  }

  on<E extends ServerEvent>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const entry = listener as unknown as Listener<ServerEvent>;
    set.add(entry);
    return () => set.delete(entry);
  }

  /** Called after every reconnection: messages sent while disconnected are lost, refetch over HTTP. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  /** Stops everything (tests, or a store that goes away). */
  close(): void {
    this.closed = true;
    this.stopWatching();
    if (typeof window !== "undefined") {
      window.removeEventListener("online", this.wentOnline);
      window.removeEventListener("offline", this.wentOffline);
    }
    clearTimeout(this.lingerTimer);
    this.teardown();
  }

  // --- the connection ------------------------------------------------------------------------

  private ensureConnected(): void {
    if (this.closed || this.users === 0) return;
    if (this.session.checking()) return; // sessionChanged() connects once the check settles
    if (!this.socket) {
      this.socket = this.createSocket();
    }
    if (!this.socket.connected && !this.socket.active && !this.refreshing && this.retryTimer === undefined) {
      this.socket.connect();
    }
  }

  private createSocket(): RealtimeSocket {
    const socket = this.factory()({
      path: SOCKET_PATH,
      transports: ["websocket"],
      autoConnect: false,
      auth: (callback) => callback(this.authPayload()),
    });
    socket.on("connect", () => this.connected(socket));
    socket.on("disconnect", (reason: string) => this.disconnected(socket, reason));
    socket.on("connect_error", (error: Error & { data?: { code?: unknown } }) => this.connectFailed(socket, error));
    for (const event of SERVER_EVENTS) {
      socket.on(event, (data: unknown) => this.deliver(event, data));
    }
    return socket;
  }

  private authPayload(): Record<string, unknown> {
    const token = this.session.token();
    this.sentToken = token && token !== this.anonymousFor ? token : null;
    return this.sentToken ? { token: this.sentToken } : {};
  }

  private connected(socket: RealtimeSocket): void {
    if (socket !== this.socket) return;
    this.failures = 0;
    this.tokenRetried = false;
    this.authenticated = this.sentToken !== null;
    this.setStatus("live");
    for (const room of this.rooms.values()) {
      room.attempts = 0;
      this.sendJoin(room);
    }
    if (this.connectedBefore) for (const listener of [...this.resyncListeners]) listener();
    this.connectedBefore = true;
  }

  private disconnected(socket: RealtimeSocket, reason: string): void {
    if (socket !== this.socket) return;
    for (const room of this.rooms.values()) room.state = "pending";
    if (reason === "io client disconnect") return; // ours: whoever disconnected decides what is next
    this.setStatus(this.offlineNow() ? "offline" : "reconnecting");
    // The server closed it (e.g. a restart): socket.io-client leaves reconnecting to us.
    if (!socket.active) this.scheduleRetry();
  }

  private connectFailed(socket: RealtimeSocket, error: Error & { data?: { code?: unknown } }): void {
    if (socket !== this.socket) return;
    this.failures += 1;
    this.setStatus(
      this.offlineNow() || this.failures >= OFFLINE_AFTER_FAILURES ? "offline" : this.connectedBefore ? "reconnecting" : "connecting",
    );
    if (socket.active) return; // a transport failure: socket.io-client retries with backoff

    // The server refused this connection: it will not retry by itself.
    const code = typeof error.data?.code === "string" ? error.data.code : null;
    if (code && TOKEN_CODES.has(code) && this.sentToken !== null) {
      if (!this.tokenRetried) {
        this.tokenRetried = true;
        this.renewToken(socket);
        return;
      }
      this.anonymousFor = this.sentToken; // renewed and still refused: live updates without the account
      socket.connect();
      return;
    }
    if (code === "account_disabled" && this.sentToken !== null) {
      this.anonymousFor = this.sentToken;
      socket.connect();
      return;
    }
    this.scheduleRetry();
  }

  private renewToken(socket: RealtimeSocket): void {
    this.refreshing = true;
    void this.session
      .refresh()
      .catch((): RefreshOutcome => ({ ok: false, reason: "network" }))
      .then((outcome) => {
        this.refreshing = false;
        if (socket !== this.socket || this.closed) return;
        if (!outcome.ok && outcome.reason === "network") {
          this.scheduleRetry();
          return;
        }
        // Renewed: connect with the new token. Rejected: the session ended and the token is gone,
        // so this connects anonymously (unless sessionChanged() already did).
        if (!socket.connected && !socket.active) socket.connect();
      });
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined || this.closed) return;
    const delay = RETRY_DELAYS_MS[Math.min(Math.max(this.failures - 1, 0), RETRY_DELAYS_MS.length - 1)] ?? 30_000;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureConnected();
    }, delay);
  }

  private sendJoin(room: Room): void {
    const socket = this.socket;
    if (!socket?.connected) return;
    room.state = "pending";
    room.attempts += 1;
    socket.timeout(ACK_TIMEOUT_MS).emit(room.spec.join, room.spec.payload, (error: Error | null, ack?: Ack) => {
      if (socket !== this.socket || this.rooms.get(room.spec.key) !== room) return;
      if (error || !ack) {
        // No answer in time: ask again while connected (a disconnect rejoins on the next connect).
        if (socket.connected && room.attempts < 3) this.sendJoin(room);
        return;
      }
      if (!ack.ok && ack.code === "unavailable" && room.attempts < 3) {
        // The server could not read the snapshot just now: ask again shortly.
        setTimeout(() => {
          if (this.socket === socket && this.rooms.get(room.spec.key) === room) this.sendJoin(room);
        }, JOIN_RETRY_MS);
        return;
      }
      room.state = ack.ok ? "joined" : "refused";
      room.code = ack.ok ? null : (ack.code ?? null);
      this.notify();
    });
    this.notify();
  }

  private deliver(event: ServerEvent, data: unknown): void {
    if (!isServerMessage(event, data)) return;
    const at = Date.parse(data.at);
    if (Number.isFinite(at)) {
      const subject = subjectOf(event, data);
      const last = this.lastAt.get(subject);
      if (last !== undefined && at < last) return; // overtaken by a newer message
      this.lastAt.delete(subject);
      this.lastAt.set(subject, at);
      // A long dashboard session sees many bookings: forget the oldest (insertion order).
      if (this.lastAt.size > MAX_REMEMBERED) this.lastAt.delete(this.lastAt.keys().next().value as string);
    }
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(data);
  }

  /** Signing in or out (or as someone else) changes what the server lets us see: connect again. */
  private sessionChanged(): void {
    const next = { token: this.session.token(), userId: this.session.userId() };
    const prev = this.identity;
    if (next.token === prev.token && next.userId === prev.userId) {
      if (!this.session.checking()) this.ensureConnected();
      return;
    }
    this.identity = next;
    const signedInChanged = (prev.token === null) !== (next.token === null);
    const userChanged = prev.userId !== null && next.userId !== null && prev.userId !== next.userId;
    // A renewed token while we were sent away as anonymous: try it.
    const retryAccount = this.anonymousFor !== null && next.token !== null && next.token !== this.anonymousFor;
    if (!signedInChanged && !userChanged && !retryAccount) return; // a renewal: the next reconnect sends it
    this.anonymousFor = null;
    this.tokenRetried = false;
    const socket = this.socket;
    if (!socket) {
      this.ensureConnected();
      return;
    }
    if (this.refreshing) return; // the refresh's outcome connects with whatever the session is then
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    socket.disconnect();
    for (const room of this.rooms.values()) room.state = "pending";
    this.setStatus("connecting");
    if (this.session.checking()) return;
    socket.connect();
  }

  private teardown(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const socket = this.socket;
    this.socket = null;
    this.connectedBefore = false;
    this.failures = 0;
    this.authenticated = false;
    socket?.disconnect();
    this.setStatus("connecting");
  }

  private offlineNow(): boolean {
    return typeof navigator !== "undefined" && navigator.onLine === false;
  }

  private readonly wentOffline = () => {
    if (this.socket && !this.socket.connected) this.setStatus("offline");
  };

  private readonly wentOnline = () => {
    const socket = this.socket;
    if (!socket || socket.connected) return;
    this.setStatus("reconnecting");
    if (!socket.active) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.ensureConnected();
    }
  };

  private setStatus(status: LiveStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.statusListeners]) listener();
  }
}

// --- one client per store (one store per tab) ---------------------------------------------------

type Store = Pick<AppStore, "getState" | "subscribe" | "dispatch">;

const clients = new WeakMap<Store, RealtimeClient>();
const openClients = new Map<RealtimeClient, Store>();

function sessionOf(store: Store): SessionSource {
  const auth = (): AuthState => store.getState().auth;
  return {
    token: () => auth().accessToken,
    userId: () => auth().user?.id ?? null,
    checking: () => auth().status === "checking",
    subscribe: (listener) => store.subscribe(listener),
    refresh: () => store.dispatch(refreshSession()),
  };
}

/** The tab's realtime client for this store (created on first use; it connects when a page needs it). */
export function realtimeFor(store: Store): RealtimeClient {
  let client = clients.get(store);
  if (!client) {
    client = new RealtimeClient(sessionOf(store));
    clients.set(store, client);
    openClients.set(client, store);
  }
  return client;
}

/** Closes every client (between tests). */
export function closeAllRealtimeClients(): void {
  for (const [client, store] of openClients) {
    client.close();
    clients.delete(store);
  }
  openClients.clear();
}
