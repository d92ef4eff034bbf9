import { beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { logInAs, logOut } from './support/log-in.ts';
import { useWebHarness } from './support/use-web-harness.ts';
import { USERS } from './support/web-harness.ts';

/**
 * An admin builds an agent in the editor (Setup: name, instructions, model, + Add connector →
 * Salesforce, tool permissions), saves, changes a level and sees what changed, switches to a
 * shared connection (Change → Share); a member reads the same agent without being able to edit.
 */

const harness = useWebHarness();
let organizationConnectionId: string;

beforeAll(async () => {
  organizationConnectionId = await harness.connectSalesforce(USERS.alice, 'organization');
});

describe('the agent editor in a real browser', { timeout: 180_000 }, () => {
  let agentId: string;

  it('creates an agent with a Salesforce connector and its tool permissions', async () => {
    const { page, baseUrl } = harness;
    await logInAs(page, baseUrl, USERS.alice);
    // With no agent yet, Chat leads the admin to create one rather than ending there.
    await page.getByRole('link', { name: 'Chat', exact: true }).click();
    await page.getByRole('heading', { name: 'No agent to chat with yet' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'New agent' }).click();
    await page.getByLabel('Name').waitFor();
    expect(new URL(page.url()).pathname).toBe('/agents/new');
    await page.goBack();
    await page.getByRole('heading', { name: 'No agent to chat with yet' }).waitFor();
    await page.getByRole('link', { name: 'Agents' }).click();
    await page.getByRole('heading', { name: 'No agents yet' }).waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'New agent' }).click();

    await page.getByLabel('Name').fill('Pipeline helper');
    await page.getByLabel('Instructions').fill('Answer questions about our **pipeline**.');
    await page.getByLabel('Model', { exact: true }).fill('gpt-scripted');
    await page.getByRole('button', { name: '+ Add connector' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a connector' });
    await dialog.getByRole('radio', { name: /Salesforce/ }).check();
    await expectAccessible(page, 'the add connector dialog');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The defaults: read tools always allowed, create and update need approval, delete disabled.
    const create = page.getByRole('radiogroup', { name: 'Create records' });
    expect(await create.getByRole('radio', { name: 'Needs approval' }).isChecked()).toBe(true);
    const remove = page.getByRole('radiogroup', { name: 'Delete records' });
    expect(await remove.getByRole('radio', { name: 'Disabled' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: 'Each user connects their own account' }).isChecked()).toBe(
      true,
    );
    await page
      .getByRole('radiogroup', { name: 'Describe objects' })
      .getByRole('radio', { name: 'Disabled' })
      .click();
    await expectAccessible(page, 'the new agent form');

    await page.getByRole('button', { name: 'Save' }).click();
    // The new agent's own page (not /agents/new, which the pattern alone would also match).
    await page.waitForURL((url) => /^\/agents\/[^/]+$/.test(url.pathname) && url.pathname !== '/agents/new');
    agentId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    const admin = await harness.apiAs(USERS.alice);
    const saved = await admin.call('GET', `/api/agents/${agentId}`);
    expect(saved.body.agent).toMatchObject({
      name: 'Pipeline helper',
      instructions: 'Answer questions about our **pipeline**.',
      model: { provider: 'openai', modelId: 'gpt-scripted' },
      connector: {
        connectionMethod: 'per_user',
        permissions: {
          search_records: 'always_allow',
          describe_object: 'disabled',
          create_record: 'needs_approval',
          update_record: 'needs_approval',
          delete_record: 'disabled',
        },
      },
    });
  });

  it('shows what changed after Save', async () => {
    const { page } = harness;
    await page
      .getByRole('radiogroup', { name: 'Update records' })
      .getByRole('radio', { name: 'Always allow' })
      .click();
    await page.getByText('1 unsaved change').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    const changes = page.getByRole('list', { name: 'What changed' });
    await changes.waitFor();
    expect(await changes.getByRole('listitem').allTextContents()).toEqual([
      'Update records: Needs approval → Always allow',
    ]);
    const admin = await harness.apiAs(USERS.alice);
    const saved = await admin.call('GET', `/api/agents/${agentId}`);
    expect(saved.body.agent.connector.permissions.update_record).toBe('always_allow');
  });

  it('switches to a shared connection and shares it through Change → Share', async () => {
    const { page } = harness;
    await page.getByRole('radio', { name: 'Use a shared Salesforce connection' }).click();
    await page.getByRole('button', { name: 'Change' }).click();
    const change = page.getByRole('dialog', { name: 'Shared Salesforce connection' });
    await change.getByRole('radio', { name: new RegExp(USERS.alice.salesforce) }).check();
    await expectAccessible(page, 'the change connection dialog');
    await change.getByRole('button', { name: 'Share' }).click();
    const share = page.getByRole('dialog', { name: /^Share / });
    await share.getByRole('radio', { name: 'Team' }).check();
    await share.getByRole('button', { name: 'Save' }).click();
    await share.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByRole('list', { name: 'What changed' })
      .getByText(/Salesforce: each user’s own Salesforce account → a shared Salesforce connection/)
      .waitFor();
    const admin = await harness.apiAs(USERS.alice);
    const saved = await admin.call('GET', `/api/agents/${agentId}`);
    expect(saved.body.agent.connector).toMatchObject({
      connectionMethod: 'shared',
      sharedConnectionId: organizationConnectionId,
    });
    const connection = await admin.call('GET', `/api/connections/${organizationConnectionId}`);
    expect(connection.body.connection.shares.team).toBe(true);
    expect(harness.takePageErrors()).toEqual([]);
  });

  it('shows a member the agent read-only', async () => {
    const { page, baseUrl } = harness;
    await logOut(page);
    await logInAs(page, baseUrl, USERS.bob);
    await page.goto(`${baseUrl}/agents`);
    await page.getByRole('link', { name: 'Pipeline helper', exact: true }).click();
    await page.getByRole('heading', { name: 'Pipeline helper' }).waitFor();
    expect(await page.getByLabel('Name').getAttribute('readonly')).not.toBeNull();
    expect(
      await page
        .getByRole('radiogroup', { name: 'Create records' })
        .getByRole('radio', { name: 'Always allow' })
        .isDisabled(),
    ).toBe(true);
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '+ Add connector' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Change' }).count()).toBe(0);
    // Why nothing can be changed comes first, before the form, and the page leads on to the chat.
    const note = page.getByRole('note').filter({ hasText: 'Only admins can change an agent' });
    const noteBox = await note.boundingBox();
    const nameBox = await page.getByLabel('Name').boundingBox();
    expect(noteBox?.y).toBeLessThan(nameBox?.y ?? 0);
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Chat with Pipeline helper' }).click();
    await page.waitForURL((url) => url.pathname === '/chat' && url.searchParams.get('agent') === agentId);
    await page.getByLabel('Message').waitFor();
    expect(harness.takePageErrors()).toEqual([]);
  });

  it('starts a new agent on a provider added in Settings → Models, not an unconfigured one', async () => {
    const { page, baseUrl } = harness;
    await logOut(page);
    await logInAs(page, baseUrl, USERS.alice);
    const admin = await harness.apiAs(USERS.alice);
    const added = await admin.call('POST', '/api/model-providers', {
      kind: 'openai_compatible',
      name: 'Team model server',
      apiKey: 'sk-team',
      baseUrl: 'http://127.0.0.1:9/v1',
    });
    expect(added.status).toBe(201);
    await page.goto(`${baseUrl}/agents/new`);
    const provider = page.getByLabel('Model provider');
    await provider.locator('option', { hasText: 'Team model server' }).waitFor({ state: 'attached' });
    expect(
      await provider.evaluate(
        (select) =>
          (select as unknown as { selectedOptions: Array<{ text: string }> }).selectedOptions[0]?.text,
      ),
    ).toBe('Team model server (OpenAI-compatible)');

    await page.getByLabel('Name').fill('Team helper');
    await page.getByLabel('Model', { exact: true }).fill('team-1');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL((url) => /^\/agents\/[^/]+$/.test(url.pathname) && url.pathname !== '/agents/new');
    const saved = await admin.call('GET', `/api/agents/${new URL(page.url()).pathname.split('/').at(-1)}`);
    expect(saved.body.agent.model).toEqual({
      provider: 'openai_compatible',
      providerId: added.body.provider.id,
      modelId: 'team-1',
    });
    expect(harness.takePageErrors()).toEqual([]);
  });
});
