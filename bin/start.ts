import { startEmulator } from '../emulator/index.ts';
import { DEMO_APP } from '../emulator/org/org.ts';
import { loadConfig, usesEmbeddedSalesforce } from '../src/core/config.ts';
import { type SalesforceSettings, startService } from '../src/main.ts';

/**
 * `forcefield start`: the service, and — when no Salesforce connected app is configured — the
 * org emulator with its demo org, started in-process and reached by the service over HTTP only.
 */
export async function runStart(): Promise<void> {
  const config = loadConfig();
  const scopes = config.SALESFORCE_SCOPES.split(/\s+/).filter(Boolean);
  let stopEmulator: (() => Promise<void>) | undefined;
  let salesforce: SalesforceSettings;
  if (usesEmbeddedSalesforce(config)) {
    const emulator = await startEmulator({ port: config.EMULATOR_PORT, seed: 'demo' });
    stopEmulator = emulator.stop;
    salesforce = {
      loginUrl: emulator.url,
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
  const service = await startService({ config, salesforce });
  const lines = [
    `Forcefield is running at ${service.publicUrl}`,
    `  database: ${service.store.dialect === 'sqlite' ? `SQLite in ${config.DATA_DIR}` : 'PostgreSQL'}`,
    salesforce.embedded
      ? `  Salesforce: built-in emulator at ${salesforce.loginUrl} (demo org "Acme Demo"; log in to Salesforce as alice@acme.demo / demo1234)`
      : `  Salesforce: ${salesforce.loginUrl}`,
    `  OAuth callback URL: ${salesforce.callbackUrl}`,
    ...(service.demoLogins.length > 0
      ? [
          '  Demo logins for Forcefield (demo mode only; these passwords are public):',
          ...service.demoLogins.map((login) => `    ${login.email} / ${login.password} (${login.role})`),
        ]
      : []),
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const shutdown = () => {
    Promise.all([service.stop(), stopEmulator?.()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
