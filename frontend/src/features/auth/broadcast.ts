/** Tells the app's other tabs that this one signed in or out (they share the refresh cookie). */
export type AuthSignal = "signed-in" | "signed-out";

const CHANNEL = "boxoffice-auth";

export function announce(signal: AuthSignal): void {
  if (typeof BroadcastChannel === "undefined") return;
  try {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage(signal);
    channel.close();
  } catch {
    // Best effort: other tabs catch up on their next request.
  }
}

export function listen(onSignal: (signal: AuthSignal) => void): () => void {
  if (typeof BroadcastChannel === "undefined") return () => {};
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (event.data === "signed-in" || event.data === "signed-out") onSignal(event.data);
  };
  return () => channel.close();
}
