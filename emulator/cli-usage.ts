/** `forcefield emulator --help`: its own module, so the command list loads without the emulator. */
export const EMULATOR_USAGE = `Usage: forcefield emulator [options]

Starts a Salesforce org emulator (OAuth 2.0 login host and REST instance on one server).

Options:
  --port <n>              TCP port (default 4100; 0 picks a free port)
  --host <address>        address to listen on (default 127.0.0.1)
  --seed <demo|none|n>    load the Acme Demo data set, start empty, or make n records
                          (20% Accounts, 60% Contacts, 20% Leads; n up to 2000000) (default demo)
  --data <file>           load an org data file (users, profiles, apps, records) instead of a seed
  --save                  with --data: write the org back to the file on shutdown (a file that
                          does not exist yet is created, starting from --seed)
  --session-timeout <s>   access-token inactivity timeout in seconds (default 7200)
  --api-limit <n>         daily API request limit (default 110000, a small Enterprise org)
  --faults <file>         fault rules to inject, JSON: [rule, …] or { "seed": n, "rules": [rule, …] }
  --admin-secret <s>      secret for the /__emulator admin API (default: $FORCEFIELD_EMULATOR_ADMIN_SECRET,
                          else a random one, printed at start)
  --tls                   serve HTTPS with a freshly generated self-signed certificate (its SHA-256
                          fingerprint is printed at start)
  --tls-cert <file>       serve HTTPS with this PEM certificate (needs --tls-key)
  --tls-key <file>        the PEM private key of --tls-cert
  -h, --help              show this help
`;
