import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ServiceSession } from '../test/support/connections.ts';
import { startScriptedModel } from '../test/web/support/scripted-model.ts';

/**
 * The agent screenshots: the agent editor's Setup tab, an approval card with its field-by-field
 * diff, and an answer's Analyzed sources opened. The model is the tests' scripted
 * OpenAI-compatible server, so the pictures are the same on every run.
 */
export async function agentScreenshots(options: {
  page: Page;
  baseUrl: string;
  api: ServiceSession;
  output: string;
  settled: (page: Page) => Promise<void>;
}): Promise<string[]> {
  const { page, baseUrl, api, output, settled } = options;
  const model = await startScriptedModel();
  try {
    const provider = await api.call('POST', '/api/model-providers', {
      kind: 'openai_compatible',
      name: 'Local model server',
      apiKey: 'sk-local',
      baseUrl: model.baseUrl,
    });
    const agent = await api.call('POST', '/api/agents', {
      name: 'Deal desk',
      instructions: 'Help the sales team keep Salesforce up to date. Ask before changing anything.',
      model: {
        provider: 'openai_compatible',
        modelId: 'llama-3.1-8b',
        providerId: provider.body.provider.id,
      },
      connector: { connectionMethod: 'per_user', permissions: { update_record: 'needs_approval' } },
    });
    const agentId = agent.body.agent.id as string;
    await page.goto(`${baseUrl}/agents/${agentId}`);
    await page.getByRole('radiogroup', { name: 'Create records' }).waitFor();
    // The connector and its tool permissions are the editor's point: they fill the picture.
    await page
      .getByRole('heading', { name: 'Connectors' })
      .evaluate((heading) => (heading as unknown as { scrollIntoView(): void }).scrollIntoView());
    await settled(page);
    await page.screenshot({ path: path.join(output, 'agent-editor.png') });

    model.enqueue(
      { toolCall: { name: 'search_records', input: { term: 'Harborview', objects: ['Account'] } } },
      { text: 'I found **Harborview**. Shall I update its rating?' },
    );
    await page.goto(`${baseUrl}/chat?agent=${agentId}`);
    await page.getByLabel('Message').fill('Find the Harborview account');
    await page.getByRole('button', { name: 'Send' }).click();
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.locator('strong', { hasText: 'Harborview' }).waitFor();
    await log.getByText('Analyzed sources').last().click();
    await log.locator('.step summary').last().click();
    await log.getByText('Search: Harborview').waitFor();
    await settled(page);
    await page.screenshot({ path: path.join(output, 'analyzed-sources.png') });

    const found = await api.call(
      'GET',
      `/api/conversations/${new URL(page.url()).pathname.split('/').at(-1)}`,
    );
    const recordId = found.body.messages.flatMap((message: { steps: Array<{ recordIds: string[] }> }) =>
      message.steps.flatMap((step) => step.recordIds),
    )[0];
    model.enqueue(
      {
        toolCall: {
          name: 'update_record',
          input: {
            objectType: 'Account',
            id: recordId,
            fields: { Rating: 'Hot', Industry: 'Transportation' },
          },
        },
      },
      { text: 'Updated.' },
    );
    await page.getByLabel('Message').fill('Yes, mark it Hot');
    await page.getByRole('button', { name: 'Send' }).click();
    const card = page.getByRole('region', { name: /^Approve update records/ });
    await card.getByRole('table').waitFor();
    await card.evaluate((element) => (element as unknown as { scrollIntoView(): void }).scrollIntoView());
    await settled(page);
    await page.screenshot({ path: path.join(output, 'approval-card.png') });
    return ['agent-editor.png', 'analyzed-sources.png', 'approval-card.png'];
  } finally {
    await model.stop();
  }
}
