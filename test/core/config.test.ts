import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/core/config.ts';

describe('configuration', () => {
  it('applies defaults and rejects bad values with the variable named', () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.SALESFORCE_API_VERSION).toBe('66.0');
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ SALESFORCE_CLIENT_ID: 'id-only' })).toThrow(ConfigError);
    expect(() => parseConfig({ SALESFORCE_API_VERSION: '66' })).toThrow(/SALESFORCE_API_VERSION/);
  });
});
