import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs, logOut } from './support/log-in.ts';
import { startScriptedModel } from './support/scripted-model.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/**
 * Settings → Models: an admin adds an OpenAI-compatible provider; its key goes to the server once
 * and never comes back (not in the page, not in the API). The admin chooses the model that
 * summarises meetings there. Members have no Models tab.
 */

const harness = useWebHarness();
const KEY = 'sk-browser-secret-key-0123456789abcdef';

describe('Settings → Models in a real browser', { timeout: 180_000 }, () => {
  it('adds a provider whose key never returns to the browser', async () => {
    const { page, baseUrl } = harness;
    await logInAs(page, baseUrl, USERS.alice);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Models' }).click();
    await page.getByRole('heading', { name: 'No provider added yet' }).waitFor();
    await expectAccessible(page);

    await page.getByLabel('Provider', { exact: true }).selectOption({ label: 'OpenAI-compatible' });
    await page.getByLabel('Name', { exact: true }).fill('Local server');
    await page.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
    await page.getByLabel(/API key/).fill(KEY);
    await page.getByRole('button', { name: 'Add provider' }).click();
    const card = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Local server' }) });
    await card.getByText('Stored (hidden)').waitFor();
    expect(await page.getByLabel(/API key/).inputValue()).toBe('');
    expect(await page.content()).not.toContain(KEY);
    // Test: one tiny call; port 9 is one fetch refuses to use, and the page says so.
    await card.getByLabel('Model to test').fill('scripted-1');
    await card.getByRole('button', { name: 'Test' }).click();
    const result = card.getByRole('status');
    await result.getByText(/port/i).waitFor();
    expect(await result.innerText()).toContain('blocked_port');
    await expectAccessible(page, 'Models with a provider');

    const admin = await harness.apiAs(USERS.alice);
    const listed = await admin.call('GET', '/api/model-providers');
    expect(listed.body.providers.slice(0, 1)).toEqual([
      expect.objectContaining({
        kind: 'openai_compatible',
        name: 'Local server',
        baseUrl: 'http://127.0.0.1:9/v1',
      }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(KEY);
    expect(harness.takePageErrors()).toEqual([]);
  });

  it('tests a provider that answers, added without a key', async () => {
    const { page } = harness;
    const model = await startScriptedModel();
    try {
      await page.getByLabel('Provider', { exact: true }).selectOption({ label: 'OpenAI-compatible' });
      await page.getByLabel('Name', { exact: true }).fill('Scripted server');
      await page.getByLabel('Base URL').fill(model.baseUrl);
      await page.getByRole('button', { name: 'Add provider' }).click();
      const card = page
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name: 'Scripted server' }) });
      await card.getByText('None', { exact: true }).waitFor();
      await card.getByLabel('Model to test').fill('scripted-1');
      await card.getByRole('button', { name: 'Test' }).click();
      await card
        .getByRole('status')
        .getByText(/scripted-1 answered/)
        .waitFor();
      expect(model.requests.length).toBeGreaterThan(0);
    } finally {
      await model.stop();
    }
  });

  it('lets an admin choose the model that summarises meetings; the server refuses members', async () => {
    const { page, baseUrl } = harness;
    const section = page.getByRole('region', { name: 'Meeting summaries' });
    await section.getByText('Meeting summaries use: no model chosen yet').waitFor();
    await section.getByLabel('Model provider').selectOption({ label: 'Scripted server (OpenAI-compatible)' });
    await section.getByLabel('Model', { exact: true }).fill('scripted-1');
    await section.getByRole('button', { name: 'Save summary model' }).click();
    await section
      .getByText('Meeting summaries use: Scripted server (OpenAI-compatible) / scripted-1')
      .waitFor();
    await expectAccessible(page, 'Models with the summary model chosen');

    await page.goto(`${baseUrl}/settings/models`);
    await section
      .getByText('Meeting summaries use: Scripted server (OpenAI-compatible) / scripted-1')
      .waitFor();
    const admin = await harness.apiAs(USERS.alice);
    const providers = await admin.call('GET', '/api/model-providers');
    const scripted = (providers.body.providers as Array<{ id: string; name: string }>).find(
      (provider) => provider.name === 'Scripted server',
    );
    const saved = await admin.call('GET', '/api/meetings/summary-settings');
    expect(saved.body.settings.model).toEqual({
      provider: 'openai_compatible',
      modelId: 'scripted-1',
      providerId: scripted?.id,
    });
    // The page is only the admin's way in: the server checks the role itself.
    const member = await harness.apiAs(USERS.bob);
    const refused = await member.call('PUT', '/api/meetings/summary-settings', {
      model: { provider: 'openai', modelId: 'gpt-4.1-mini' },
    });
    expect(refused.status).toBe(403);
    expect((await admin.call('GET', '/api/meetings/summary-settings')).body.settings.model.modelId).toBe(
      'scripted-1',
    );
    expect(harness.takePageErrors()).toEqual([]);
  });

  it('shows the agent editor the provider, and members no Models tab', async () => {
    const { page, baseUrl } = harness;
    await page.goto(`${baseUrl}/agents/new`);
    const provider = page.getByLabel('Model provider');
    await provider.selectOption({ label: 'Local server (OpenAI-compatible)' });
    await logOut(page);
    await logInAs(page, baseUrl, USERS.bob);
    await page.goto(`${baseUrl}/settings/integrations`);
    await page.getByRole('navigation', { name: 'Settings' }).waitFor();
    expect(
      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Models' }).count(),
    ).toBe(0);
    await page.goto(`${baseUrl}/settings/models`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Add provider' }).count()).toBe(0);
    expect(harness.takePageErrors()).toEqual([]);
  });
});
