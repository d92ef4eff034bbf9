/**
 * The accessibility check every browser test leans on (`expectAccessible`): it must find serious
 * violations, pass a clean page, and keep checking after a navigation replaces the document (axe is
 * injected once per document).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { connectChromium, type LaunchedChromium } from './support/chromium.ts';

const CLEAN =
  '<!doctype html><html lang="en"><title>Clean</title><main><h1>Fine</h1><p>Text</p></main></html>';
const BROKEN =
  '<!doctype html><html lang="en"><title>Broken</title><main><h1>Broken</h1>' +
  '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button></main></html>';

describe('the accessibility check', () => {
  let browser: LaunchedChromium;
  beforeAll(async () => {
    browser = await connectChromium(inject('chromiumEndpoint'));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('passes a clean page and names the serious violations of a broken one, document after document', async () => {
    const { page } = browser;
    await page.setContent(CLEAN);
    await expectAccessible(page, 'the clean page');

    await page.setContent(BROKEN);
    const failure = await expectAccessible(page, 'the broken page').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain('axe on the broken page');
    // The assertion's actual value: one line per serious violation, with the rule and the element.
    const lines = (failure as { actual: string[] }).actual;
    expect(lines).toEqual([
      expect.stringMatching(/^critical button-name: .* — button$/),
      expect.stringMatching(/^critical image-alt: .* — img$/),
    ]);

    // The same document again (axe already injected), then a fresh one (injected anew).
    await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: runs in the page; the test project has no DOM types
      const { document: doc } = globalThis as any;
      doc.querySelector('img').setAttribute('alt', 'A pixel');
      doc.querySelector('button').textContent = 'Go';
    });
    await expectAccessible(page, 'the repaired page');
    await page.setContent(BROKEN);
    await expect(expectAccessible(page, 'the broken page again')).rejects.toThrow(
      'axe on the broken page again',
    );
  });
});
