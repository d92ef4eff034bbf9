import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * axe-core on the page as it is now: no serious or critical violation. Called on every page a
 * test visits (and on dialogs and forms once they are open, since axe checks only what is shown).
 */
export async function expectAccessible(page: Page, where = new URL(page.url()).pathname): Promise<void> {
  // Only violations: computing passes and incomplete results too would double axe's time.
  const results = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} — ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(' | ')}`,
    );
  expect(serious, `axe on ${where}`).toEqual([]);
}
