import { useEffect } from "react";

/** Sets the browser tab's title (announced by screen readers on navigation). */
export function usePageTitle(title: string): void {
  useEffect(() => {
    const previous = document.title;
    document.title = `${title} · Boxoffice`;
    return () => {
      document.title = previous;
    };
  }, [title]);
}
