import { badRequest } from '../core/errors.ts';
import type { SalesforceSettings } from './salesforce-settings.ts';

export type LoginHostChoice = 'production' | 'sandbox' | 'custom';

const SANDBOX_LOGIN_URL = 'https://test.salesforce.com';

/** My Domain hosts Salesforce issues: `acme.my.salesforce.com`, `acme--uat.sandbox.my.salesforce.com`, … */
const MY_DOMAIN_SUFFIXES = ['.my.salesforce.com', '.my.salesforce.mil', '.my.sfcrmproducts.cn'];

function originOf(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * The login host (an origin, no trailing slash) the OAuth flow starts at. In embedded mode every
 * choice is the emulator, which is the only org there is. A custom My Domain must be https on a
 * Salesforce My Domain host (or the configured login URL), with no path, credentials or port, so
 * the flow can never be pointed at a look-alike host that would receive our client secret.
 */
export function resolveLoginHost(
  settings: SalesforceSettings,
  choice: LoginHostChoice,
  myDomainUrl: string | undefined,
): string {
  const configured = new URL(settings.loginUrl).origin;
  if (settings.embedded) return configured;
  if (choice === 'production') return configured;
  if (choice === 'sandbox') return SANDBOX_LOGIN_URL;
  const url = myDomainUrl ? originOf(myDomainUrl.trim()) : undefined;
  const problem = 'Enter your My Domain URL, like https://acme.my.salesforce.com.';
  if (!url) throw badRequest(`The My Domain URL is not a URL. ${problem}`);
  if (url.origin === configured) return configured;
  if (url.protocol !== 'https:') throw badRequest(`The My Domain URL must use https. ${problem}`);
  if (
    url.username ||
    url.password ||
    url.port ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search
  ) {
    throw badRequest(`The My Domain URL must be just the host, with no path or port. ${problem}`);
  }
  const host = url.hostname.toLowerCase();
  if (!MY_DOMAIN_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length)) {
    throw badRequest(`${host} is not a Salesforce My Domain host. ${problem}`);
  }
  return url.origin;
}
