import { useNavigation } from "react-router";
import { Spinner } from "./Spinner";

/** Shown on a first visit straight to a page whose code is still downloading (a `lazy` route). */
export function PageLoadingFallback() {
  return (
    <div role="status" className="flex min-h-dvh items-center justify-center gap-3 text-slate-700">
      <Spinner className="h-6 w-6 text-brand-600" />
      <span className="text-base font-medium">Loading…</span>
    </div>
  );
}

/**
 * A thin bar across the top while the router loads the next page (its code, on a first visit):
 * the current page stays on screen, so without it a slow link would look like a dead click.
 */
export function NavigationProgress() {
  const navigation = useNavigation();
  if (navigation.state === "idle") return null;
  return (
    <div role="progressbar" aria-label="Loading the page" className="fixed inset-x-0 top-0 z-50 h-1 overflow-hidden bg-brand-100">
      <div className="h-full w-1/3 animate-[nav-progress_1.2s_ease-in-out_infinite] bg-brand-600 motion-reduce:w-full motion-reduce:animate-pulse" />
    </div>
  );
}
