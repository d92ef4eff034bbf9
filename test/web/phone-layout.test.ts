import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs } from './support/log-in.ts';
import {
  chooseRelatedRecord,
  createButton,
  HARBORVIEW_ACCOUNT,
  HARBORVIEW_INSIGHT,
  HARBORVIEW_MEETING,
  openSendForm,
} from './support/send-form.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/**
 * A 390 px phone: the sidebar collapses behind a menu button, nothing scrolls sideways, and the
 * send form is usable (every control inside the screen) and sends.
 */

const WIDTH = 390;
const harness = useWebHarness({ width: WIDTH, height: 844, connectAs: USERS.alice });

async function horizontalOverflow(): Promise<number> {
  return harness.page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: runs in the page; the test project has no DOM types
    const root = (globalThis as any).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}

describe('the 390 px layout', { timeout: 180_000 }, () => {
  it('collapses the sidebar behind a menu button', async () => {
    const { page, baseUrl } = harness;
    await logInAs(page, baseUrl, USERS.alice);
    expect(await page.getByRole('link', { name: 'Settings', exact: true }).isVisible()).toBe(false);
    expect(await horizontalOverflow()).toBe(0);
    await expectAccessible(page);

    const menu = page.getByRole('button', { name: /menu/i }).first();
    await menu.click();
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Your personal integrations' }).waitFor();
    // Moving to another page folds the menu again.
    await page.getByRole('link', { name: 'Meetings', exact: true }).waitFor({ state: 'hidden' });
    expect(await horizontalOverflow()).toBe(0);
    await expectAccessible(page);
    await menu.click();
    await page.getByRole('link', { name: 'Meetings', exact: true }).click();
    await page.getByRole('link', { name: HARBORVIEW_MEETING }).first().click();
    await page.getByRole('heading', { name: 'Insights', exact: true }).waitFor();
    expect(await horizontalOverflow()).toBe(0);
    await expectAccessible(page);
  });

  it('shows a usable send form that creates the task', async () => {
    const { page } = harness;
    const form = await openSendForm(page, HARBORVIEW_INSIGHT, 'task');
    await expectAccessible(page, 'the task form at 390 px');
    for (const control of [
      form.getByLabel('Subject'),
      form.getByLabel('Related record'),
      createButton(form),
    ]) {
      await control.scrollIntoViewIfNeeded();
      const box = await control.boundingBox();
      expect(box, String(control)).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(WIDTH);
    }
    const subject = 'Harborview rollout from a phone (task)';
    await form.getByLabel('Subject').fill(subject);
    await chooseRelatedRecord(page, form, HARBORVIEW_ACCOUNT);
    await createButton(form).click();
    await page.getByRole('link', { name: 'Open in Salesforce' }).first().waitFor();
    expect(await harness.query(`SELECT Id FROM Task WHERE Subject = '${subject}'`)).toHaveLength(1);
    expect(harness.takePageErrors()).toEqual([]);
  });

  it('fits every other page on the phone: agents, the agent editor, chat, models, people, audit', async () => {
    const { page, baseUrl } = harness;
    const pages: Array<[path: string, ready: () => Promise<void>]> = [
      ['/agents', () => page.getByRole('heading', { name: 'Agents', exact: true }).first().waitFor()],
      ['/agents/new', () => page.getByRole('button', { name: 'Save' }).first().waitFor()],
      ['/chat', () => page.getByRole('heading').first().waitFor()],
      ['/settings/models', () => page.getByRole('heading').first().waitFor()],
      ['/people', () => page.getByRole('heading', { name: 'People', exact: true }).first().waitFor()],
      ['/audit', () => page.getByRole('heading').first().waitFor()],
    ];
    for (const [path, ready] of pages) {
      await page.goto(`${baseUrl}${path}`);
      await ready();
      await page.waitForLoadState('networkidle');
      expect(await horizontalOverflow(), path).toBe(0);
      // The top bar keeps its own height, however short the page (a short one once stretched it).
      const bar = await page.locator('header.topbar').boundingBox();
      expect(bar?.height, path).toBeLessThan(80);
      await expectAccessible(page, `${path} at ${WIDTH} px`);
    }
    expect(harness.takePageErrors()).toEqual([]);
  });

  it('keeps the open conversation and the composer on the first screen, however many conversations', async () => {
    const { page, baseUrl } = harness;
    const admin = await harness.apiAs(USERS.alice);
    const provider = await admin.call('POST', '/api/model-providers', {
      kind: 'openai_compatible',
      name: 'Phone model server',
      apiKey: 'sk-phone',
      baseUrl: 'http://127.0.0.1:9/v1',
    });
    const agent = await admin.call('POST', '/api/agents', {
      name: 'Phone helper',
      instructions: 'Answer briefly.',
      model: { provider: 'openai_compatible', modelId: 'phone-1', providerId: provider.body.provider.id },
    });
    expect(agent.status).toBe(201);
    const agentId = agent.body.agent.id as string;
    let last = '';
    for (let index = 1; index <= 8; index += 1) {
      const created = await admin.call('POST', '/api/conversations', {
        agentId,
        title: `Question number ${index} about the Harborview rollout and its pilot properties`,
      });
      expect(created.status).toBe(201);
      last = created.body.conversation.id;
    }
    await page.goto(`${baseUrl}/chat/${last}`);
    const composer = page.getByLabel('Message');
    await composer.waitFor();
    const box = await composer.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(844);
    // The list still holds every conversation, in its own scrolling box.
    expect(await page.getByRole('list', { name: 'Your conversations' }).getByRole('listitem').count()).toBe(
      8,
    );
    expect(await horizontalOverflow()).toBe(0);
    await expectAccessible(page, `a conversation at ${WIDTH} px`);
    expect(harness.takePageErrors()).toEqual([]);
  });
});
