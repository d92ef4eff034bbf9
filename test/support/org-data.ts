/** Org data for the emulator's data-file tests (test/emulator/data*.test.ts). */

export const ALICE_ID = '0058d0000000001AAA';

/** A small hand-written org: plain passwords, some ids given and some not, defaults left out. */
export function handWrittenOrg(): Record<string, unknown> {
  return {
    format: 'forcefield-emulator-org',
    version: 1,
    name: 'Globex Test',
    settings: { sessionTimeoutSeconds: 3600, dailyApiRequestLimit: 5000 },
    users: [
      {
        id: ALICE_ID,
        username: 'alice@acme.demo',
        firstName: 'Alice',
        lastName: 'Admin',
        profile: 'System Administrator',
        password: 'globex-secret',
      },
      {
        username: 'erin@globex.test',
        firstName: 'Erin',
        lastName: 'Field',
        profile: 'Standard User',
        password: 'pw-erin',
      },
    ],
    records: {
      Account: [{ Id: '0018d0000000Zz1', Name: 'Zyzzyva Widgets', Industry: 'Manufacturing' }],
      Contact: [
        {
          FirstName: 'Quentin',
          LastName: 'Quagmire',
          AccountId: '0018d0000000Zz1',
          Email: 'q@zyzzyva.example',
        },
      ],
      Opportunity: [
        {
          Name: 'Zyzzyva renewal',
          AccountId: '0018d0000000Zz1',
          StageName: 'Closed Won',
          CloseDate: '2026-01-15',
        },
      ],
    },
  };
}
