import { it } from 'vitest';
import { startEmulator } from '../../emulator/index.ts';
import { runSoql } from '../../emulator/soql/execute.ts';
it('perf', async () => {
  const e = await startEmulator({ port: 0, seed: 'none' });
  const org = e.org;
  const base = org.systemFields(org.adminUserId);
  for (let i = 0; i < 100_000; i++) {
    const id = org.ids.next('003');
    org.store.insert('Contact', { Id: id, ...base, OwnerId: org.adminUserId, FirstName: 'F' + i, LastName: 'L' + i, Name: `${i % 7 === 0 ? 'abc' : 'xyz'} Person ${i}`, Email: `p${i}@y.com` });
  }
  org.store.insert('Contact', { Id: org.ids.next('003'), ...base, OwnerId: org.adminUserId, LastName: 'X', Name: 'X', Email: 'x@y.com' });
  const t = org.tokens.issueAccessToken(org.adminUserId, 'forcefield-demo', ['api']).token;
  const time = async (label: string, soql: string, n: number, http: boolean) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      if (http) { const r = await fetch(`${e.url}/services/data/v66.0/query?q=${encodeURIComponent(soql)}`, { headers: { Authorization: `Bearer ${t}` } }); await r.text(); }
      else runSoql(org, org.adminUserId, soql, { version: '66.0' });
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    console.log(label, http ? 'http' : 'direct', 'p50', samples[Math.floor(n / 2)].toFixed(2), 'p95', samples[Math.floor(n * 0.95)].toFixed(2));
  };
  for (const http of [false, true]) {
    await time('email =', "SELECT Id, Name FROM Contact WHERE Email = 'x@y.com'", 200, http);
    await time('name like', "SELECT Id, Name FROM Contact WHERE Name LIKE 'abc%'", 20, http);
    await time('name like limit', "SELECT Id, Name FROM Contact WHERE Name LIKE 'abc%' LIMIT 10", 50, http);
    await time('order by', "SELECT Id, Name FROM Contact ORDER BY Name LIMIT 10", 10, http);
    await time('count', "SELECT COUNT() FROM Contact WHERE Name LIKE '%Person 5%'", 10, http);
  }
  await e.stop();
}, 120_000);
