import type { ReactNode } from 'react';

/**
 * A wide table's scrolling box. On a phone it scrolls sideways, so it is a named region that takes
 * the focus: keyboard users scroll it with the arrow keys (axe: scrollable-region-focusable).
 */
export function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard to scroll it
    <section className="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

/** A success / failure badge for an audit outcome, with the words to show in it. */
export function OutcomeBadge({ outcome, children }: { outcome: string; children: ReactNode }) {
  return (
    <span className={`badge ${outcome === 'success' ? 'badge-success' : 'badge-warning'}`}>{children}</span>
  );
}

type PagedQuery = { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };

/** **Load more** under a paged table, while the server has more pages. */
export function LoadMoreButton({ query }: { query: PagedQuery }) {
  if (!query.hasNextPage) return null;
  return (
    <button
      type="button"
      className="button"
      disabled={query.isFetchingNextPage}
      onClick={() => query.fetchNextPage()}
    >
      {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
    </button>
  );
}
