import { describe, expect, it } from 'vitest';
import { resolveLoginHost } from '../../src/salesforce/login-hosts.ts';
import { emulatorSalesforce } from '../support/test-service.ts';

describe('login hosts', () => {
  const real = { ...emulatorSalesforce('https://login.salesforce.com'), embedded: false };

  it('maps choices and validates My Domain URLs', () => {
    expect(resolveLoginHost(real, 'production', undefined)).toBe('https://login.salesforce.com');
    expect(resolveLoginHost(real, 'sandbox', undefined)).toBe('https://test.salesforce.com');
    expect(resolveLoginHost(real, 'custom', 'https://acme.my.salesforce.com')).toBe(
      'https://acme.my.salesforce.com',
    );
    expect(resolveLoginHost(real, 'custom', 'https://acme--uat.sandbox.my.salesforce.com/')).toBe(
      'https://acme--uat.sandbox.my.salesforce.com',
    );
    for (const bad of [
      'http://acme.my.salesforce.com',
      'https://acme.my.salesforce.com.evil.example',
      'https://evil.example/acme.my.salesforce.com',
      'https://acme.my.salesforce.com/path',
      'https://user@acme.my.salesforce.com',
      'https://.my.salesforce.com',
      'not a url',
      undefined,
    ]) {
      expect(() => resolveLoginHost(real, 'custom', bad), String(bad)).toThrow(
        expect.objectContaining({ status: 400 }),
      );
    }
    // Embedded: everything is the emulator.
    expect(resolveLoginHost(emulatorSalesforce('http://127.0.0.1:4100'), 'sandbox', undefined)).toBe(
      'http://127.0.0.1:4100',
    );
  });
});
