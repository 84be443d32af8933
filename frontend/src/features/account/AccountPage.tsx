import { useLocation } from "react-router";
import { useAppSelector } from "../../app/hooks";
import { Alert } from "../../components/Alert";
import { ErrorState } from "../../components/ErrorState";
import { PageSpinner } from "../../components/Spinner";
import { useMeQuery } from "../auth/authApi";
import { selectCurrentUser } from "../auth/authSlice";
import { describeError } from "../auth/problems";
import { AccountShell } from "./AccountShell";
import { ChangePasswordCard } from "./ChangePasswordCard";
import { ProfileCard } from "./ProfileCard";
import { VerificationBanner } from "./VerificationBanner";
import { usePageTitle } from "../../components/usePageTitle";

export function AccountPage() {
  usePageTitle("Your account");
  const signedInAs = useAppSelector(selectCurrentUser);
  const location = useLocation();
  const welcome = (location.state as { welcome?: boolean } | null)?.welcome === true;
  // Fresh from the server (e.g. the email was confirmed in another tab); the session's copy meanwhile.
  const me = useMeQuery(signedInAs?.id ?? "", { skip: !signedInAs, refetchOnMountOrArgChange: true });
  const user = me.data ?? signedInAs;

  if (!user) {
    if (me.isError) return <ErrorState message={describeError(me.error).message} onRetry={() => void me.refetch()} />;
    return <PageSpinner />;
  }

  return (
    <AccountShell title="Your account" description="Your profile, password and how you sign in.">
      {welcome ? (
        <Alert tone="success" title={`Welcome to Boxoffice, ${user.full_name.split(/\s+/)[0] ?? ""}!`}>
          Your account is ready.
          {user.email_verified ? null : " We've sent you a link to confirm your email address."}
        </Alert>
      ) : null}
      {user.email_verified ? null : <VerificationBanner user={user} />}
      <ProfileCard user={user} />
      <ChangePasswordCard />
    </AccountShell>
  );
}
