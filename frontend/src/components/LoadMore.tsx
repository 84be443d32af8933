import { LoadingButton } from "./LoadingButton";

/** The next page of an infinite list (RTK Query `useInfiniteQuery`): a centred button while there is one. */
export function LoadMore({
  list,
}: {
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
}) {
  if (!list.hasNextPage) return null;
  return (
    <div className="flex justify-center">
      <LoadingButton variant="secondary" loading={list.isFetchingNextPage} loadingText="Loading…" onClick={() => void list.fetchNextPage()}>
        Load more
      </LoadingButton>
    </div>
  );
}
