import { useEffect, useRef } from "react";
import { useBlocker, type Blocker } from "react-router";

/**
 * Warns before unsaved changes are lost: the browser's own prompt on reload/close, and a blocker
 * for in-app navigation (render a dialog while `blocker.state === "blocked"`). Call `allowNextNavigation()`
 * before navigating away on purpose (e.g. after saving).
 */
export function useUnsavedChanges(dirty: boolean): { blocker: Blocker; allowNextNavigation: () => void } {
  const allow = useRef(false);
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;

  const blocker = useBlocker(({ currentLocation, nextLocation }) => {
    if (allow.current) {
      allow.current = false;
      return false;
    }
    return dirtyRef.current && currentLocation.pathname !== nextLocation.pathname;
  });

  useEffect(() => {
    if (!dirty) return;
    function onBeforeUnload(event: BeforeUnloadEvent) {
      event.preventDefault();
      event.returnValue = "";
    }
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty]);

  return { blocker, allowNextNavigation: () => void (allow.current = true) };
}
