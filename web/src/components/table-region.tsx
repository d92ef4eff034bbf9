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
