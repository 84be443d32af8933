import { useEffect, useMemo, useRef } from "react";

export interface Throttled<A extends unknown[]> {
  (...args: A): void;
  cancel(): void;
}

/**
 * Runs `fn` at once, then at most once per `ms`: calls in between are folded into one trailing
 * call (with the last arguments), so the final state is always fetched.
 */
export function throttle<A extends unknown[]>(fn: (...args: A) => void, ms: number): Throttled<A> {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: A | null = null;
  const run = (args: A) => {
    last = Date.now();
    fn(...args);
  };
  const throttled = (...args: A) => {
    const wait = last + ms - Date.now();
    if (wait <= 0 && timer === undefined) {
      run(args);
      return;
    }
    pending = args;
    timer ??= setTimeout(() => {
      timer = undefined;
      const next = pending;
      pending = null;
      if (next) run(next);
    }, Math.max(wait, 0));
  };
  throttled.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
    pending = null;
  };
  return throttled;
}

/** Throttled calls per key (e.g. one refetch per event id), dropped on unmount. */
export function useKeyedThrottle(fn: (key: string) => void, ms: number): (key: string) => void {
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  });
  const state = useMemo(() => {
    const byKey = new Map<string, Throttled<[string]>>();
    return {
      call(key: string) {
        let throttled = byKey.get(key);
        if (!throttled) {
          throttled = throttle((k: string) => latest.current(k), ms);
          byKey.set(key, throttled);
        }
        throttled(key);
      },
      cancel() {
        for (const t of byKey.values()) t.cancel();
        byKey.clear();
      },
    };
  }, [ms]);
  useEffect(() => () => state.cancel(), [state]);
  return state.call;
}
