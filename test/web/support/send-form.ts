import type { Locator, Page } from 'playwright-core';

export type SendKind = 'note' | 'task' | 'event';

export const MENU_ITEMS: Record<SendKind, string> = {
  note: 'Create note in Salesforce',
  task: 'Create task in Salesforce',
  event: 'Create event in Salesforce',
};

/** The demo meeting the send tests use: Alice and Bob with two Harborview Hospitality contacts. */
export const HARBORVIEW_MEETING = 'Harborview Hospitality — mobile rollout proposal review';
export const HARBORVIEW_INSIGHT = 'Mei wants the rollout live in all 14 properties';
export const HARBORVIEW_DECISION = 'Harborview will pilot the mobile check-in';

/** Opens a meeting from the Meetings list, as a person would. */
export async function openMeeting(page: Page, baseUrl: string, title: string): Promise<void> {
  await page.goto(`${baseUrl}/meetings`);
  await page.getByRole('link', { name: title }).first().click();
  await page.getByRole('heading', { name: 'Insights', exact: true }).waitFor();
}

/** A summary item on the meeting page, found by (the start of) its text. */
export function meetingItem(page: Page, text: string): Locator {
  return page.getByRole('listitem').filter({ hasText: text }).last();
}

/** Hovers the item, opens **Send to Salesforce** and picks the kind: answers the send form. */
export async function openSendForm(page: Page, itemText: string, kind: SendKind): Promise<Locator> {
  const item = meetingItem(page, itemText);
  await item.hover();
  await item.getByRole('button', { name: 'Send to Salesforce' }).click();
  await page.getByRole('menuitem', { name: MENU_ITEMS[kind] }).click();
  const form = sendForm(page);
  await form.getByRole('button', { name: 'Create', exact: true }).waitFor();
  return form;
}

/** The open send form (a dialog or side sheet; the one holding the Related record box). */
export function sendForm(page: Page): Locator {
  return page.getByRole('dialog').filter({ has: page.getByLabel('Related record') });
}

/** The record type switch: a radio group, tabs or toggle buttons named after the type. */
export function recordTypeSwitch(form: Locator, type: string): Locator {
  return form
    .getByRole('radio', { name: type, exact: true })
    .or(form.getByRole('tab', { name: type, exact: true }))
    .first();
}

/** Picks exactly one related record: the type, then a search-as-you-type result. */
export async function chooseRelatedRecord(
  page: Page,
  form: Locator,
  options: { type: string; search: string; name: string },
): Promise<void> {
  await recordTypeSwitch(form, options.type).click();
  await form.getByLabel('Related record').fill(options.search);
  await page
    .getByRole('option', { name: new RegExp(escapeRegExp(options.name)) })
    .first()
    .click();
}

/** The demo org's Harborview Hospitality account, as the related-record picker finds it. */
export const HARBORVIEW_ACCOUNT = { type: 'Account', search: 'Harborview', name: 'Harborview Hospitality' };

/** The send form's Create button (exactly that name: not "Create task" in a menu). */
export function createButton(form: Locator): Locator {
  return form.getByRole('button', { name: 'Create', exact: true });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface DescribedElement {
  getAttribute(name: string): string | null;
  ownerDocument: { getElementById(id: string): { textContent: string | null } | null };
}

/** The texts of the elements that describe a field (aria-describedby): where its error must show. */
export async function descriptionOf(field: Locator): Promise<string> {
  // Typed by hand: the test project has no DOM library (this runs in the page).
  return field.evaluate((element: DescribedElement) =>
    (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id: string) => element.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}
