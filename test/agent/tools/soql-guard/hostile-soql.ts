import type { SoqlGuardErrorCode } from '../../../../src/agent/tools/soql-guard/soql-guard-types.ts';

/**
 * The hostile SOQL corpus, shared by the guard's unit test (soql-guard.test.ts) and the end-to-end
 * test that sends every entry through the chat API to the emulator (soql-corpus-http.test.ts).
 */

export type Expectation = { refused: SoqlGuardErrorCode } | { soql: string };

/**
 * Each hostile input and exactly what happens to it: refused with a code, or normalized to a
 * precise text (the only text that would be sent to Salesforce).
 */
export const HOSTILE_CORPUS: Array<[name: string, input: unknown, expected: Expectation]> = [
  ['DELETE statement', 'DELETE FROM Account', { refused: 'not_select' }],
  ['lower-case delete', 'delete from account where id != null', { refused: 'not_select' }],
  ['mixed-case UpDaTe', "UpDaTe Account SET Name = 'x'", { refused: 'not_select' }],
  ['INSERT', "INSERT INTO Account (Name) VALUES ('x')", { refused: 'not_select' }],
  ['UPSERT', 'upsert Account', { refused: 'not_select' }],
  ['MERGE', 'MERGE Account a1 a2', { refused: 'not_select' }],
  ['UNDELETE', 'Undelete Account', { refused: 'not_select' }],
  ['leading whitespace before DELETE', '   \n\tDELETE FROM Contact', { refused: 'not_select' }],
  ['SOSL instead of SOQL', 'FIND {Acme} RETURNING Account', { refused: 'not_select' }],
  ['not a statement at all', 'DROP TABLE Account', { refused: 'not_select' }],
  ['prose', 'please list all accounts', { refused: 'not_select' }],
  ['SELECT; DELETE', 'SELECT Id FROM Account; DELETE FROM Account', { refused: 'multiple_statements' }],
  ['SELECT;SELECT', 'SELECT Id FROM Account;SELECT Id FROM Contact', { refused: 'multiple_statements' }],
  [
    'semicolon inside a string literal is just text',
    "SELECT Id FROM Account WHERE Name = 'a; DELETE FROM Account'",
    { soql: "SELECT Id FROM Account WHERE Name = 'a; DELETE FROM Account' LIMIT 50" },
  ],
  ['trailing semicolon is dropped', 'SELECT Id FROM Account;', { soql: 'SELECT Id FROM Account LIMIT 50' }],
  ['double trailing semicolon', 'SELECT Id FROM Account;;', { refused: 'multiple_statements' }],
  ['line comment', 'SELECT Id FROM Account -- WHERE OwnerId = me', { refused: 'malformed_query' }],
  ['block comment', 'SELECT Id FROM Account /* hidden */ WHERE Name = null', { refused: 'malformed_query' }],
  ['slash comment', 'SELECT Id FROM Account // x', { refused: 'malformed_query' }],
  [
    'comment markers inside a literal stay inside it',
    "SELECT Id FROM Account WHERE Name = '--/* x */'",
    { soql: "SELECT Id FROM Account WHERE Name = '--/* x */' LIMIT 50" },
  ],
  ['Cyrillic A in the object name', 'SELECT Id FROM Аccount', { refused: 'malformed_query' }],
  ['full-width SELECT', 'ＳＥＬＥＣＴ Id FROM Account', { refused: 'not_select' }],
  [
    'zero-width space between tokens',
    'SELECT Id FROM Account\u200B WHERE Name = null',
    { refused: 'invalid_characters' },
  ],
  [
    'right-to-left override',
    "SELECT Id FROM Account WHERE Name = '\u202Eevil'",
    { refused: 'invalid_characters' },
  ],
  ['null byte', 'SELECT Id FROM Account\u0000 WHERE Name = null', { refused: 'invalid_characters' }],
  [
    'null byte inside a literal',
    "SELECT Id FROM Account WHERE Name = 'a\u0000b'",
    { refused: 'invalid_characters' },
  ],
  ['huge LIMIT', 'SELECT Id FROM Account LIMIT 1000000', { soql: 'SELECT Id FROM Account LIMIT 200' }],
  [
    'LIMIT beyond a safe integer',
    'SELECT Id FROM Account LIMIT 99999999999999999999999',
    { soql: 'SELECT Id FROM Account LIMIT 200' },
  ],
  ['LIMIT -1', 'SELECT Id FROM Account LIMIT -1', { refused: 'malformed_query' }],
  ['LIMIT 1.5', 'SELECT Id FROM Account LIMIT 1.5', { refused: 'malformed_query' }],
  [
    'missing LIMIT gets the default',
    'select id, name from contact',
    { soql: 'SELECT id, name FROM Contact LIMIT 50' },
  ],
  [
    'nested subquery with a huge LIMIT',
    'SELECT Id, (SELECT Id FROM Contacts LIMIT 100000) FROM Account LIMIT 10',
    { soql: 'SELECT Id, (SELECT Id FROM Contacts LIMIT 50) FROM Account LIMIT 10' },
  ],
  [
    'nested subquery without LIMIT',
    'SELECT Id, (SELECT Id FROM Opportunities) FROM Account',
    { soql: 'SELECT Id, (SELECT Id FROM Opportunities LIMIT 20) FROM Account LIMIT 50' },
  ],
  [
    'subquery inside a subquery',
    'SELECT Id, (SELECT Id, (SELECT Id FROM Tasks) FROM Contacts) FROM Account',
    { refused: 'unsupported_clause' },
  ],
  ['OFFSET beyond 2000', 'SELECT Id FROM Account LIMIT 10 OFFSET 5000', { refused: 'offset_too_large' }],
  [
    'OFFSET at 2000 is kept',
    'SELECT Id FROM Account ORDER BY Name LIMIT 10 OFFSET 2000',
    { soql: 'SELECT Id FROM Account ORDER BY Name LIMIT 10 OFFSET 2000' },
  ],
  ['FOR UPDATE', 'SELECT Id FROM Account LIMIT 1 FOR UPDATE', { refused: 'side_effect_clause' }],
  ['FOR VIEW', 'SELECT Id FROM Account FOR VIEW', { refused: 'side_effect_clause' }],
  ['FOR REFERENCE', 'SELECT Id FROM Account FOR REFERENCE', { refused: 'side_effect_clause' }],
  ['UPDATE TRACKING', 'SELECT Id FROM Account UPDATE TRACKING', { refused: 'side_effect_clause' }],
  ['UPDATE VIEWSTAT', 'SELECT Id FROM Account UPDATE VIEWSTAT', { refused: 'side_effect_clause' }],
  ['ALL ROWS', 'SELECT Id FROM Account ALL ROWS', { refused: 'unsupported_clause' }],
  ['WITH SYSTEM_MODE', 'SELECT Id FROM Account WITH SYSTEM_MODE', { refused: 'unsupported_clause' }],
  [
    'TYPEOF naming an object outside the allow-list',
    'SELECT TYPEOF What WHEN LoginHistory THEN SourceIp ELSE Id END FROM Task',
    { refused: 'unsupported_clause' },
  ],
  [
    'TYPEOF in general',
    'SELECT TYPEOF Who WHEN Contact THEN Email END FROM Event',
    { refused: 'unsupported_clause' },
  ],
  [
    'object outside the allow-list',
    'SELECT Id, SourceIp FROM LoginHistory',
    { refused: 'object_not_allowed' },
  ],
  ['custom object', 'SELECT Id FROM Secret__c', { refused: 'object_not_allowed' }],
  [
    'semi-join into a forbidden object',
    'SELECT Id FROM User WHERE Id IN (SELECT UsersId FROM AuthSession)',
    { refused: 'object_not_allowed' },
  ],
  ['apex bind variable', 'SELECT Id FROM Account WHERE Id = :recordId', { refused: 'malformed_query' }],
  [
    'quote injection closed by doubling (not SOQL)',
    "SELECT Id FROM Account WHERE Name = 'x'' OR Name != null'",
    { refused: 'malformed_query' },
  ],
  [
    'escaped quote keeps the OR inside the literal',
    "SELECT Id FROM Account WHERE Name = 'x\\' OR Name != null'",
    { soql: "SELECT Id FROM Account WHERE Name = 'x\\' OR Name != null' LIMIT 50" },
  ],
  [
    'trailing backslash escapes the closing quote',
    "SELECT Id FROM Account WHERE Name = 'x\\' LIMIT 5",
    { refused: 'malformed_query' },
  ],
  [
    'illegal escape in a literal',
    "SELECT Id FROM Account WHERE Name = 'x\\z'",
    { refused: 'invalid_literal' },
  ],
  ['double-quoted string', 'SELECT Id FROM Account WHERE Name = "x"', { refused: 'malformed_query' }],
  ['empty', '', { refused: 'empty' }],
  ['whitespace only', ' \n\t ', { refused: 'empty' }],
  ['null', null, { refused: 'empty' }],
  ['a number', 42, { refused: 'empty' }],
  [
    'enormous input',
    `SELECT Id FROM Account WHERE Name IN (${Array.from({ length: 3000 }, (_, index) => `'n${index}'`).join(', ')})`,
    { refused: 'too_long' },
  ],
  ['unknown function', 'SELECT Id, SLEEP(1000) FROM Account', { refused: 'malformed_query' }],
  [
    'FIELDS(ALL) is read-only and capped',
    'SELECT FIELDS(ALL) FROM Account LIMIT 500',
    { soql: 'SELECT FIELDS(ALL) FROM Account LIMIT 200' },
  ],
  [
    'keywords inside a literal are text',
    "SELECT Id FROM Lead WHERE Company = 'DELETE FROM Lead; FOR UPDATE'",
    { soql: "SELECT Id FROM Lead WHERE Company = 'DELETE FROM Lead; FOR UPDATE' LIMIT 50" },
  ],
  [
    'object name case is canonicalized',
    'SELECT Id FROM oPpOrTuNiTy',
    { soql: 'SELECT Id FROM Opportunity LIMIT 50' },
  ],
];
