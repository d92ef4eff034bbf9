import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import type { ConnectedApp } from '../org/org.ts';
import { ALL_SCOPES } from './scopes.ts';

/**
 * A registered callback URL. Salesforce compares callbacks exactly, so a definition must hold a
 * complete absolute URL without a fragment (a fragment could never match what a browser sends).
 */
const callbackUrlSchema = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      return url.hash === '' && !text.includes('#') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  },
  { message: 'must be an absolute URL without a fragment or credentials' },
);

const positiveSeconds = z.number().int().positive();

/** A PEM certificate node:crypto can read, so a broken one fails when the app is defined, not at login. */
const certificateSchema = z.string().refine(
  (text) => {
    try {
      new X509Certificate(text);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be a PEM-encoded X.509 certificate' },
);

/**
 * A scope the emulator knows. Typed as a plain string (as `ConnectedApp.scopes` is) so any
 * `ConnectedApp` is a valid input, e.g. one exported from a running org.
 */
const knownScope = z.string().refine((scope) => (ALL_SCOPES as readonly string[]).includes(scope), {
  message: `must be one of ${ALL_SCOPES.join(', ')}`,
});

const refreshTokenPolicySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('until-revoked') }).strict(),
  z.object({ kind: z.literal('expire-after'), seconds: positiveSeconds }).strict(),
  z.object({ kind: z.literal('expire-if-unused'), seconds: positiveSeconds }).strict(),
  z.object({ kind: z.literal('rotate') }).strict(),
]);

/**
 * A connected app definition as it comes from a data file or a test: validated here, once, so
 * the OAuth endpoints can trust every field. Unknown keys are refused rather than ignored, so a
 * misspelt policy never silently falls back to the permissive default.
 */
export const connectedAppSchema = z
  .object({
    name: z.string().min(1),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    callbackUrls: z.array(callbackUrlSchema).default([]),
    allowLoopbackCallbacks: z.boolean().default(false),
    scopes: z.array(knownScope).min(1).optional(),
    permittedUsers: z.enum(['all-self-authorize', 'admin-approved-preauthorized']).optional(),
    preAuthorizedProfiles: z.array(z.string().min(1)).optional(),
    preAuthorizedUsernames: z.array(z.string().min(1)).optional(),
    blocked: z.boolean().optional(),
    refreshTokenPolicy: refreshTokenPolicySchema.optional(),
    sessionTimeoutSeconds: positiveSeconds.optional(),
    certificate: certificateSchema.optional(),
    clientCredentialsUser: z.string().min(1).optional(),
  })
  .strict()
  .refine((app) => app.callbackUrls.length > 0 || app.allowLoopbackCallbacks, {
    message: 'an app needs at least one callback URL (or allowLoopbackCallbacks)',
    path: ['callbackUrls'],
  }) satisfies z.ZodType<ConnectedApp, unknown>;

/** Several apps at once: client ids must be unique, as consumer keys are on Salesforce. */
export const connectedAppsSchema = z.array(connectedAppSchema).superRefine((apps, context) => {
  const seen = new Set<string>();
  for (const [index, app] of apps.entries()) {
    if (seen.has(app.clientId)) {
      context.addIssue({
        code: 'custom',
        message: `duplicate clientId ${app.clientId}`,
        path: [index, 'clientId'],
      });
    }
    seen.add(app.clientId);
  }
});
