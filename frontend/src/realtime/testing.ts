/**
 * A fake Socket.IO connection for tests: the test plays the server (accept, refuse, drop, push
 * messages) and reads what the client sent. `src/test/setup.ts` installs a fresh fake factory
 * before each test, so no test ever opens a real connection; `fakeSockets()` hands it over.
 */
import { closeAllRealtimeClients, setSocketFactory, type RealtimeSocket, type SocketOptions } from "./client";
import type { Ack, ServerEvent, ServerMessages } from "./messages";

type AnyListener = (...args: never[]) => void;

export interface Emitted {
  event: string;
  data: unknown;
}

export class FakeSocket implements RealtimeSocket {
  connected = false;
  active = false;
  /** What the client sent with each connection attempt (its `auth`). */
  readonly auths: Record<string, unknown>[] = [];
  readonly emitted: Emitted[] = [];
  connectCalls = 0;
  /** How the fake server answers joins and leaves. */
  answer: (event: string, data: unknown) => Ack = (event, data) => ({ ok: true, room: roomOf(event, data) ?? null, code: null, message: null });
  private readonly handlers = new Map<string, Set<AnyListener>>();

  constructor(readonly options: SocketOptions) {}

  // --- the client's side ----------------------------------------------------------------------

  connect(): this {
    this.connectCalls += 1;
    this.active = true;
    return this;
  }

  disconnect(): this {
    const was = this.connected;
    this.connected = false;
    this.active = false;
    if (was) this.fire("disconnect", "io client disconnect");
    return this;
  }

  on(event: string, listener: AnyListener): this {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(listener);
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    this.emitted.push({ event, data: args[0] });
    const callback = args[1];
    if (typeof callback === "function") (callback as (ack: Ack) => void)(this.answer(event, args[0]));
    return this;
  }

  timeout(): { emit(event: string, ...args: unknown[]): unknown } {
    return {
      emit: (event: string, data: unknown, callback?: (error: Error | null, ack?: Ack) => void) => {
        this.emitted.push({ event, data });
        callback?.(null, this.answer(event, data));
      },
    };
  }

  // --- the server's side ----------------------------------------------------------------------

  /** Accepts the connection (after reading the client's auth, as the real handshake does). */
  accept(): void {
    this.options.auth((data) => this.auths.push(data));
    this.connected = true;
    this.active = true;
    this.fire("connect");
  }

  /** Refuses the connection with a code, as the server's connect handler does. */
  refuse(code: string, message = "Refused"): void {
    this.options.auth((data) => this.auths.push(data));
    this.connected = false;
    this.active = false;
    this.fire("connect_error", Object.assign(new Error(message), { data: { code } }));
  }

  /**
   * The connection dropped. "transport close" (the network): socket.io-client retries by itself,
   * the socket stays active. "io server disconnect" (the server closed it): it does not.
   */
  drop(reason: "transport close" | "ping timeout" | "io server disconnect" = "transport close"): void {
    this.connected = false;
    if (reason === "io server disconnect") this.active = false;
    this.fire("disconnect", reason);
  }

  /** A transport failure while (re)connecting. */
  failAttempt(): void {
    this.fire("connect_error", new Error("websocket error"));
  }

  push<E extends ServerEvent>(event: E, message: ServerMessages[E]): void {
    this.fire(event, message);
  }

  /** What the client emitted for `event` (e.g. "join_event"). */
  sent(event: string): unknown[] {
    return this.emitted.filter((e) => e.event === event).map((e) => e.data);
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.handlers.get(event) ?? [])]) (listener as (...a: unknown[]) => void)(...args);
  }
}

function roomOf(event: string, data: unknown): string | undefined {
  const payload = (data ?? {}) as Record<string, string>;
  if (event.endsWith("_event")) return `event:${payload.event_id}`;
  if (event.endsWith("_organizer")) return `organizer:${payload.organizer_id ?? "me"}`;
  return undefined;
}

export interface FakeSockets {
  /** Every socket created, oldest first. */
  all: FakeSocket[];
  /** The newest socket (throws if none was created). */
  readonly current: FakeSocket;
}

let installed: FakeSockets | null = null;

export function installFakeSockets(): FakeSockets {
  const all: FakeSocket[] = [];
  installed = {
    all,
    get current() {
      const last = all[all.length - 1];
      if (!last) throw new Error("No socket was created yet");
      return last;
    },
  };
  setSocketFactory((options) => {
    const socket = new FakeSocket(options);
    all.push(socket);
    return socket;
  });
  return installed;
}

/** The fakes of the running test. */
export function fakeSockets(): FakeSockets {
  if (!installed) throw new Error("installFakeSockets() was not called (src/test/setup.ts does it)");
  return installed;
}

export function uninstallFakeSockets(): void {
  closeAllRealtimeClients();
  setSocketFactory(null);
  installed = null;
}
