/**
 * The scrypt cost test services hash new passwords with (PASSWORD_HASH_COST, N = 2^10 instead of
 * production's 2^15, about 2.5 ms a hash here instead of 100): the suite creates and logs in
 * thousands of accounts. In-process services get it from `createTestService`; `vitest.config.ts`
 * puts it in the environment that the run's child processes (`forcefield start` and the CLI)
 * inherit. A test that is about the production cost passes `PASSWORD_HASH_COST` itself
 * (test/accounts/login-unknown-email).
 */
export const TEST_PASSWORD_HASH_COST = '10';
