import { describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client.ts';
import { openTestStore } from '../support/store.ts';
import { createTestService } from '../support/test-service.ts';

describe('demo workspace', () => {
  it('seeds an admin and two members in demo mode and reports the logins', async () => {
    const storage = await openTestStore('sqlite');
    const test = await createTestService({ store: storage.store });
    try {
      const logins = test.demoLogins;
      expect(logins.map((login) => login.role)).toEqual(['admin', 'member', 'member']);
      const client = new ApiClient(test);
      const login = await client.logIn(logins[1].email, logins[1].password);
      expect(login.status).toBe(200);
      expect(login.body.user.role).toBe('member');
      const groups = await storage.store.db.selectFrom('groups').select('name').execute();
      expect(groups).toEqual([{ name: 'Sales' }]);
    } finally {
      await test.stop();
    }
    // A second start finds the workspace in use: nothing is added, the working logins are reported.
    const again = await createTestService({ store: storage.store });
    try {
      expect(again.demoLogins).toHaveLength(3);
      expect(await storage.store.db.selectFrom('users').select('id').execute()).toHaveLength(3);
    } finally {
      await again.stop();
      await storage.dispose();
    }
  });
});
