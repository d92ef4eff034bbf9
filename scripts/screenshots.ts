/**
 * `npm run screenshots`: starts the demo (the emulator's Acme Demo org and the service in demo
 * mode, on free ports), logs in as the demo admin, and saves the README's screenshots at
 * 1280×800 into docs/screenshots/: the meeting page, the send form, Settings → Integrations, the
 * agent editor, Analyzed sources and an approval card.
 * Run it after a UI change and commit the PNGs, so the README shows the app as it is.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startEmulator } from '../emulator/index.ts';
import { connect, logIn } from '../test/support/connections.ts';
import { emulatorSalesforce, startTestService } from '../test/support/service.ts';
import buildWebApp from '../test/web/support/build-web-app.ts';
import { launchChromium } from '../test/web/support/chromium.ts';
import { logInAs } from '../test/web/support/log-in.ts';
import {
  HARBORVIEW_DECISION,
  HARBORVIEW_MEETING,
  meetingItem,
  openMeeting,
  openSendForm,
} from '../test/web/support/send-form.ts';
import { agentScreenshots } from './agent-screenshots.ts';

/** Waits for running CSS transitions (the hover reveal, the dialog's entrance) to finish. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => {
    // Typed by hand: the project has no DOM library (this runs in the page).
    const scope = globalThis as unknown as {
      document: { getAnimations(): Array<{ finished: Promise<unknown> }> };
    };
    return Promise.all(scope.document.getAnimations().map((animation) => animation.finished));
  });
}

const OUTPUT = path.resolve(fileURLToPath(new URL('../docs/screenshots/', import.meta.url)));
const ADMIN = { email: 'alice@forcefield.demo', password: 'forcefield-demo' };

await buildWebApp();
mkdirSync(OUTPUT, { recursive: true });
const emulator = await startEmulator({ port: 0, seed: 'demo' });
const test = await startTestService(emulatorSalesforce(emulator.url));
const baseUrl = test.service.url;
const chromium = await launchChromium({ width: 1280, height: 800 });
// Generous: the script may run on a busy machine, and a screenshot is worth the wait.
chromium.context.setDefaultTimeout(30_000);
try {
  // A personal connection so sends work; the organization one comes later, for Integrations only.
  const api = await logIn(baseUrl, ADMIN.email, ADMIN.password);
  await connect(api, emulator, { kind: 'personal', username: 'alice@acme.demo' });

  const { page } = chromium;
  await logInAs(page, baseUrl, ADMIN);
  await openMeeting(page, baseUrl, HARBORVIEW_MEETING);
  // The hover state shows the Send to Salesforce button, the page's main action.
  await meetingItem(page, HARBORVIEW_DECISION).hover();
  await settled(page);
  await page.screenshot({ path: path.join(OUTPUT, 'meeting-page.png') });

  const form = await openSendForm(page, HARBORVIEW_DECISION, 'task');
  // Suggestions load after the form: wait for them so the picture shows the suggested records.
  await page
    .getByRole('option')
    .first()
    .waitFor({ timeout: 5_000 })
    .catch(() => undefined);
  await form.getByLabel('Subject').waitFor();
  await settled(page);
  await page.screenshot({ path: path.join(OUTPUT, 'send-form.png') });
  await form.getByRole('button', { name: 'Cancel' }).click();

  await connect(api, emulator, {
    kind: 'organization',
    username: 'bob@acme.demo',
    name: 'Acme sales service account',
  });
  await page.goto(`${baseUrl}/settings/integrations`);
  await page.getByRole('heading', { name: 'Organization integrations' }).waitFor();
  await page.getByText('Acme sales service account').first().waitFor();
  await page.screenshot({ path: path.join(OUTPUT, 'integrations.png') });
  const agentPictures = await agentScreenshots({ page, baseUrl, api, output: OUTPUT, settled });
  console.log(
    `screenshots saved in ${path.relative(process.cwd(), OUTPUT)}: meeting-page.png, send-form.png, integrations.png, ${agentPictures.join(', ')}`,
  );
} finally {
  await chromium.close();
  await test.stop();
  await emulator.stop();
}
