import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs } from './support/log-in.ts';
import {
  createButton,
  HARBORVIEW_DECISION,
  HARBORVIEW_INSIGHT,
  HARBORVIEW_MEETING,
  MENU_ITEMS,
  meetingItem,
  openMeeting,
  openSendForm,
  recordTypeSwitch,
  sendForm,
} from './support/send-form.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/**
 * Sending with the keyboard only: Tab to the item's Send to Salesforce button, Enter, arrow keys
 * in the menu, Enter; in the form, type to search the related record, arrows and Enter to pick,
 * Tab to Create, Enter. No mouse event at all after the meeting page is open.
 */

const harness = useWebHarness({ connectAs: USERS.alice });
let accountId: string;

beforeAll(async () => {
  [{ Id: accountId }] = await harness.query<{ Id: string }>(
    "SELECT Id FROM Account WHERE Name = 'Harborview Hospitality'",
  );
});

/** Whether the locator's element has the focus (the first match). */
async function hasFocus(target: Locator): Promise<boolean> {
  if ((await target.count()) === 0) return false;
  // biome-ignore lint/suspicious/noExplicitAny: runs in the page; the test project has no DOM types
  return target.first().evaluate((element: any) => element === element.ownerDocument.activeElement);
}

/** Presses `key` until one of `targets` has the focus; fails after `limit` presses. */
async function pressUntil(page: Page, key: string, targets: Locator, limit = 200): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    for (const target of await targets.all()) if (await hasFocus(target)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} pressed ${limit} times never reached ${targets}`);
}

/** Presses ArrowDown until `option` is the highlighted one (aria-selected); fails after 20 presses. */
async function pressUntilHighlighted(page: Page, option: Locator): Promise<void> {
  for (let presses = 0; presses < 20; presses++) {
    if ((await option.getAttribute('aria-selected')) === 'true') return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`ArrowDown pressed 20 times never highlighted ${option}`);
}

describe('sending with the keyboard only', { timeout: 180_000 }, () => {
  it('creates a task on the chosen account with Tab, Enter and arrow keys', async () => {
    const { page, baseUrl } = harness;
    await logInAs(page, baseUrl, USERS.alice);
    await openMeeting(page, baseUrl, HARBORVIEW_MEETING);

    const item = meetingItem(page, HARBORVIEW_INSIGHT);
    await pressUntil(page, 'Tab', item.getByRole('button', { name: 'Send to Salesforce' }));
    await page.keyboard.press('Enter');
    await pressUntil(page, 'ArrowDown', page.getByRole('menuitem', { name: MENU_ITEMS.task }), 6);
    await page.keyboard.press('Enter');

    const form = sendForm(page);
    await createButton(form).waitFor();
    await expectAccessible(page, 'the task form opened by keyboard');
    const subject = 'Harborview rollout: keyboard only (task)';
    await pressUntil(page, 'Tab', form.getByLabel('Subject'));
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(subject);
    // Into the type switch (a radio group or tabs: Tab reaches the selected one), then arrows.
    await pressUntil(page, 'Tab', form.getByRole('radio').or(form.getByRole('tab')));
    await pressUntil(page, 'ArrowRight', recordTypeSwitch(form, 'Account'), 6); // wraps around the five types
    expect(await recordTypeSwitch(form, 'Account').getAttribute('aria-checked')).toBe('true');
    await pressUntil(page, 'Tab', form.getByLabel('Related record'));
    await page.keyboard.type('Harborview');
    const wanted = page.getByRole('option', { name: /Harborview Hospitality/ }).first();
    await wanted.waitFor();
    // Like a person watching the highlight: arrows until the wanted option is the highlighted one
    // (the list can still grow as search results join the suggestions, so no fixed count).
    await pressUntilHighlighted(page, wanted);
    await page.keyboard.press('Enter');
    await form.getByText('Linked to Account: Harborview Hospitality').waitFor();
    await pressUntil(page, 'Tab', createButton(form));
    await page.keyboard.press('Enter');

    await page.getByRole('link', { name: 'Open in Salesforce' }).first().waitFor();
    const tasks = await harness.query<{ WhatId: string }>(
      `SELECT WhatId FROM Task WHERE Subject = '${subject}'`,
    );
    expect(tasks).toEqual([expect.objectContaining({ WhatId: accountId })]);
    expect(harness.takePageErrors()).toEqual([]);
  });

  // CI failed twice on the test above: Radix checks a radio on arrow-key focus only while the key
  // is still down, and moves the focus in a timer, so a quick press moved the focus to Account but
  // left Lead checked, and the search looked for leads. Here the key goes up before that timer runs,
  // every time; the group must still check what has the focus.
  it('checks the record type the arrow key moves to, however short the key press', async () => {
    const { page, baseUrl } = harness;
    await openMeeting(page, baseUrl, HARBORVIEW_MEETING);
    const form = await openSendForm(page, HARBORVIEW_DECISION, 'task');
    const checked = form.getByRole('radio', { checked: true });
    await checked.focus();
    const before = await checked.textContent();
    const moved = await page.evaluate(() => {
      // biome-ignore lint/suspicious/noExplicitAny: runs in the page; the test project has no DOM types
      const { document: doc, KeyboardEvent: Key } = globalThis as any;
      const from = doc.activeElement;
      const init = { key: 'ArrowRight', code: 'ArrowRight', bubbles: true, cancelable: true };
      from.dispatchEvent(new Key('keydown', init));
      from.dispatchEvent(new Key('keyup', init));
      return from.textContent as string;
    });
    expect(moved).toBe(before);
    const next = form.locator('[role=radio]:focus');
    await next.waitFor();
    const focused = await next.textContent();
    expect(focused).not.toBe(before);
    await expect
      .poll(() => form.getByRole('radio', { name: focused ?? '', exact: true }).getAttribute('aria-checked'))
      .toBe('true');
    expect(await form.getByRole('radio', { checked: true }).count()).toBe(1);
    expect(
      await form.getByRole('combobox', { name: 'Related record' }).getAttribute('placeholder'),
    ).toContain(`Search ${focused === 'Opportunity' ? 'opportunities' : `${focused?.toLowerCase()}s`}`);
    expect(harness.takePageErrors()).toEqual([]);
  });

  // A full CI run once showed this: suggestions answered after the type switch, the best one (an
  // Opportunity) was preselected and switched the type back, so an Account search showed nothing.
  it('keeps the record type chosen before the suggestions arrive', async () => {
    const { page, baseUrl } = harness;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/meetings/*/suggestions*', async (route) => {
      await held;
      await route.continue();
    });
    try {
      await openMeeting(page, baseUrl, HARBORVIEW_MEETING);
      const form = await openSendForm(page, HARBORVIEW_DECISION, 'task');
      await recordTypeSwitch(form, 'Account').click();
      await form.getByLabel('Related record').fill('Harborview');
      await page
        .getByRole('option', { name: /Harborview Hospitality/ })
        .first()
        .waitFor();
      // Still finding suggestions: the loading line sits outside the listbox (a listbox holds only
      // options and groups; axe found the line inside it whenever it ran mid-search).
      await form.getByText('Finding suggestions…').waitFor();
      await expectAccessible(page, 'the send form while suggestions load');
      const answered = page.waitForResponse((response) => response.url().includes('/suggestions'));
      release();
      await answered;
      // The suggestions render (a suggested account, or none), and the type stays the person's.
      await form.getByText('Finding suggestions…').waitFor({ state: 'detached' });
      expect(await recordTypeSwitch(form, 'Account').getAttribute('aria-checked')).toBe('true');
      expect(await form.getByText('No record chosen yet.').count()).toBe(1);
      expect(await page.getByRole('option', { name: /Harborview Hospitality/ }).count()).toBeGreaterThan(0);
    } finally {
      release();
      await page.unroute('**/api/meetings/*/suggestions*');
    }
    expect(harness.takePageErrors()).toEqual([]);
  });
});
