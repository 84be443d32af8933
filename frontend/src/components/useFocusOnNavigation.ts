import { useEffect, type RefObject } from "react";
import { useLocation } from "react-router";

/**
 * After an in-app navigation, moves focus to `target` (usually the page's `<h1 tabIndex={-1}>`)
 * once `ready` is true, so keyboard and screen-reader users start at the new content instead of
 * the link they clicked. A fresh page load (location key "default") keeps the browser's focus.
 */
export function useFocusOnNavigation(target: RefObject<HTMLElement | null>, ready = true): void {
  const location = useLocation();
  useEffect(() => {
    if (!ready || location.key === "default") return;
    target.current?.focus({ preventScroll: true });
  }, [ready, location.key, target]);
}
