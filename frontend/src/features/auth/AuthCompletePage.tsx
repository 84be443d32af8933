import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useAppDispatch } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { PageSpinner } from "../../components/Spinner";
import { AuthCard, linkClass } from "./AuthCard";
import { safeNext } from "./navigation";
import { describeError } from "./problems";
import { refreshSession } from "./refresh";
import { usePageTitle } from "../../components/usePageTitle";

/**
 * Landing page after a provider sign-in: the API has set the refresh cookie; exchange it for an
 * access token (single-flight, shared with the app's start-up refresh) and go on.
 */
export function AuthCompletePage() {
  usePageTitle("Signing in");
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const dispatch = useAppDispatch();
  const navigate = useNavigate();
  const started = useRef(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void dispatch(refreshSession()).then((outcome) => {
      if (outcome.ok) void navigate(next, { replace: true });
      else if (outcome.reason === "network")
        setFailure(describeError({ status: "FETCH_ERROR", error: "offline" }).message);
      else setFailure("We couldn't finish signing you in. Please try again.");
    });
  }, [dispatch, navigate, next]);

  if (failure) {
    return (
      <AuthCard title="Sign-in didn't finish">
        <Alert tone="error">{failure}</Alert>
        <p className="mt-6 text-sm">
          <Link to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`} className={linkClass}>
            Back to sign in
          </Link>
        </p>
      </AuthCard>
    );
  }
  return <PageSpinner label="Signing you in…" />;
}
