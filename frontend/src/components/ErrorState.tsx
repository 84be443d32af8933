import { Button } from "./Button";

export function ErrorState({
  title = "We couldn't load this",
  message,
  onRetry,
  retrying = false,
}: {
  title?: string;
  message: string;
  onRetry?: () => void;
  retrying?: boolean;
}) {
  return (
    <div role="alert" className="rounded-2xl border border-red-200 bg-red-50 px-6 py-10 text-center">
      <h2 className="text-lg font-semibold text-red-900">{title}</h2>
      <p className="mx-auto mt-2 max-w-prose text-sm text-red-800">{message}</p>
      {onRetry ? (
        <Button variant="secondary" className="mt-6" onClick={onRetry} disabled={retrying}>
          {retrying ? "Retrying…" : "Retry"}
        </Button>
      ) : null}
    </div>
  );
}
