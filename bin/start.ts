import { DEMO_APP } from '../emulator/org/org.ts';
import { loadConfig, usesEmbeddedSalesforce } from '../src/core/config.ts';
import { type SalesforceSettings, startService } from '../src/main.ts';
import { type DemoEmulator, demoOrgFile, startDemoEmulator } from './demo-org.ts';

/**
 * `forcefield start`: the service, and — when no Salesforce connected app is configured — the
 * org emulator with its demo org (kept in DATA_DIR), started in-process and reached by the service
 * over HTTP only. SIGTERM or SIGINT drains (README, "Stopping gracefully"); a second one hurries.
 */
export async function runStart(): Promise<void> {
  const config = loadConfig();
  const scopes = config.SALESFORCE_SCOPES.split(/\s+/).filter(Boolean);
  let demo: DemoEmulator | undefined;
  let salesforce: SalesforceSettings;
  if (usesEmbeddedSalesforce(config)) {
    demo = await startDemoEmulator(config);
    salesforce = {
      loginUrl: demo.emulator.url,
      clientId: DEMO_APP.clientId,
      clientSecret: DEMO_APP.clientSecret,
      callbackUrl: config.SALESFORCE_CALLBACK_URL ?? '',
      apiVersion: config.SALESFORCE_API_VERSION,
      scopes,
      embedded: true,
    };
  } else {
    salesforce = {
      loginUrl: config.SALESFORCE_LOGIN_URL,
      clientId: config.SALESFORCE_CLIENT_ID!,
      clientSecret: config.SALESFORCE_CLIENT_SECRET!,
      callbackUrl: config.SALESFORCE_CALLBACK_URL ?? '',
      apiVersion: config.SALESFORCE_API_VERSION,
      scopes,
      embedded: false,
    };
  }
  const service = await startService({ config, salesforce }).catch(async (error: unknown) => {
    await demo?.stop();
    throw error;
  });
  const lines = [
    `Forcefield is running at ${service.publicUrl}`,
    `  database: ${service.store.dialect === 'sqlite' ? `SQLite in ${config.DATA_DIR}` : 'PostgreSQL'}`,
    ...(demo
      ? [
          `  Salesforce: built-in emulator at ${salesforce.loginUrl} (demo org "Acme Demo"; log in to Salesforce as alice@acme.demo / demo1234)`,
          `  The demo org is kept in ${demoOrgFile(config)} (start over: forcefield demo reset)`,
          `  Emulator admin API: ${salesforce.loginUrl}/__emulator  Authorization: Bearer ${
            demo.adminSecretGenerated ? demo.emulator.adminSecret : '$FORCEFIELD_EMULATOR_ADMIN_SECRET'
          }`,
        ]
      : [`  Salesforce: ${salesforce.loginUrl}`]),
    `  OAuth callback URL: ${salesforce.callbackUrl}`,
    ...(config.METRICS_TOKEN
      ? [`  Metrics: ${service.publicUrl}/metrics (Authorization: Bearer $METRICS_TOKEN)`]
      : []),
    ...(service.demoLogins.length > 0
      ? [
          '  Demo logins for Forcefield (demo mode only; these passwords are public):',
          ...service.demoLogins.map((login) => `    ${login.email} / ${login.password} (${login.role})`),
        ]
      : []),
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  let stopping = false;
  const shutdown = () => {
    if (stopping) {
      service.hurry();
      return;
    }
    stopping = true;
    // The service drains first: requests under way may still be talking to the emulator.
    service
      .stop()
      .then(() => demo?.stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
