import { forwardRef, type ButtonHTMLAttributes } from "react";
import { Spinner } from "./Spinner";

export type LoadingButtonVariant = "primary" | "secondary" | "danger" | "danger-secondary" | "subtle";

const variants: Record<LoadingButtonVariant, string> = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 active:bg-brand-800 shadow-sm",
  secondary: "bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 shadow-sm",
  danger: "bg-red-600 text-white hover:bg-red-700 active:bg-red-800 shadow-sm",
  "danger-secondary": "bg-white text-red-700 ring-1 ring-inset ring-red-300 hover:bg-red-50 shadow-sm",
  subtle: "bg-transparent text-slate-700 hover:bg-slate-100 hover:text-slate-900",
};

const sizes = { sm: "px-3 py-1.5 text-sm", md: "px-4 py-2.5 text-sm" } as const;

export type LoadingButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  loading?: boolean;
  loadingText?: string;
  variant?: LoadingButtonVariant;
  size?: keyof typeof sizes;
};

/**
 * A button that shows its work: while `loading` it is disabled, marked `aria-busy` and shows a
 * spinner (and `loadingText` if given), so a second click cannot send the request twice.
 */
export const LoadingButton = forwardRef<HTMLButtonElement, LoadingButtonProps>(function LoadingButton(
  { loading = false, loadingText, variant = "primary", size = "md", className = "", type = "button", disabled, children, ...props },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      className={`inline-flex items-center justify-center gap-2 rounded-lg font-semibold transition-colors disabled:cursor-not-allowed disabled:opacity-60 ${sizes[size]} ${variants[variant]} ${className}`}
      {...props}
    >
      {loading ? <Spinner className="h-4 w-4" /> : null}
      {loading && loadingText ? loadingText : children}
    </button>
  );
});
