import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../emulator/rest/versions.ts';
import { useTestOrg } from '../support/emulator.ts';

describe('the latest version alias', () => {
  const org = useTestOrg();

  it('answers /services/data/latest/… as the newest API version', async () => {
    const { url, token } = org;
    const headers = { Authorization: `Bearer ${token}` };
    const viaAlias = await fetch(`${url}/services/data/latest/sobjects/Account/describe`, { headers });
    const numbered = await fetch(`${url}/services/data/v${LATEST_VERSION}/sobjects/Account/describe`, {
      headers,
    });
    expect(viaAlias.status).toBe(200);
    expect(await viaAlias.json()).toEqual(await numbered.json());
    const root = await fetch(`${url}/services/data/latest`, { headers });
    expect(root.status).toBe(200);
    expect(Object.values((await root.json()) as Record<string, string>)[0]).toContain(`/v${LATEST_VERSION}/`);
  });

  it('is only a whole path segment: /services/data/latestx is not found', async () => {
    const { url, token } = org;
    const response = await fetch(`${url}/services/data/latestx/sobjects`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(404);
  });
});
