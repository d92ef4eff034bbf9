/** Where the service's Salesforce connected app lives: a real org's login host, or the emulator. */
export interface SalesforceSettings {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  /** Where Salesforce sends people back; empty means `{public URL}${OAUTH_CALLBACK_PATH}`. */
  callbackUrl: string;
  apiVersion: string;
  scopes: string[];
  /** True when the login URL is the embedded emulator (demo mode). */
  embedded: boolean;
}

/** The service's OAuth callback, relative to its public URL (the HTTP surface serves it there). */
export const OAUTH_CALLBACK_PATH = '/api/connections/oauth/callback';
