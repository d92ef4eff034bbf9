import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** axe-core's browser bundle, read once per test worker. */
let axeSource: string | undefined;
function axeBundle(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core on the page as it is now: no serious or critical violation. Called on every page a
 * test visits (and on dialogs and forms once they are open, since axe checks only what is shown).
 *
 * axe runs in the page itself with `axe.run` (every rule axe runs by default): the bundle is
 * injected once per document, not per check, and no second page is opened to merge results (the
 * app has no frames). Through @axe-core/playwright each check injected the 550 KB bundle twice and
 * opened a blank page: about 2 s a check in Chromium here, against about 0.5 s this way.
 */
export async function expectAccessible(page: Page, where = new URL(page.url()).pathname): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeBundle());
  // The page as it settles: a fade still under way (a trigger revealed on hover) blends its colours
  // with the background and reads as low contrast. Infinite animations (a spinner) never finish.
  await page.evaluate(async () => {
    interface Running {
      effect: { getComputedTiming(): { endTime: number } } | null;
      finished: Promise<unknown>;
    }
    // biome-ignore lint/suspicious/noExplicitAny: runs in the page; the test project has no DOM types
    const running: Running[] = (globalThis as any).document.getAnimations();
    const finite = running.filter(
      (animation) => animation.effect?.getComputedTiming().endTime !== Number.POSITIVE_INFINITY,
    );
    await Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
  });
  const violations = await page.evaluate(async (): Promise<Violation[]> => {
    // biome-ignore lint/suspicious/noExplicitAny: runs in the page, where axe is a global
    const { axe, document: doc } = globalThis as any;
    // Only violations: computing passes and incomplete results too would double axe's time.
    const results = await axe.run(doc, { resultTypes: ['violations'] });
    return results.violations.map(
      (violation: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
      }),
    );
  });
  const serious = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} — ${violation.targets.join(' | ')}`,
    );
  expect(serious, `axe on ${where}`).toEqual([]);
}
