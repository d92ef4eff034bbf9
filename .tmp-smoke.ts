import { startEmulator } from '/work/main/emulator/index.ts';
const e = await startEmulator({ port: 0, seed: 'none' });
const s = e.org.tokens.issueAccessToken(e.org.adminUserId, 'forcefield-demo', ['api']);
const h = { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' };
const base = `${e.url}/services/data/v66.0`;
let r = await fetch(`${base}/sobjects/Account`, { method: 'POST', headers: h, body: JSON.stringify({ Name: 'Acme', Industry: 'Technology' }) });
console.log(r.status, r.headers.get('location'), r.headers.get('sforce-limit-info'), r.headers.get('content-type'), await r.text());
const acc = (await (await fetch(`${base}/sobjects/Account`, { method: 'POST', headers: h, body: JSON.stringify({ Name: 'B' }) })).json()) as {id:string};
r = await fetch(`${base}/sobjects/Contact`, { method: 'POST', headers: h, body: JSON.stringify({ LastName: 'Smith', FirstName: 'Jo', AccountId: acc.id, Email: 'jo@x.com' }) });
const c = await r.json() as {id:string}; console.log(r.status, c);
r = await fetch(`${base}/sobjects/Task`, { method: 'POST', headers: h, body: JSON.stringify({ Subject: 'Call', WhoId: c.id }) });
const t = await r.json() as {id:string}; console.log(r.status, t);
r = await fetch(`${base}/sobjects/Task/${t.id}?fields=Subject,Status,Priority,AccountId,IsClosed,whoid`, { headers: h }); console.log(r.status, await r.text());
for (const body of [{}, {Name:'x', Foo: 1}, {Id: acc.id, Name: 'x'}, {Name: 'x'.repeat(300)}, {Name:'x', NumberOfEmployees:'abc'}, {Name: 'x', ParentId: 'bad'}, {Name: 'x', ParentId: c.id}]) {
  r = await fetch(`${base}/sobjects/Account`, { method: 'POST', headers: h, body: JSON.stringify(body) }); console.log(r.status, await r.text());
}
r = await fetch(`${base}/sobjects/Task`, { method: 'POST', headers: h, body: JSON.stringify({ Subject: 'x', Status: 'Nope' }) }); console.log(r.status, await r.text());
r = await fetch(`${base}/sobjects/Event`, { method: 'POST', headers: h, body: JSON.stringify({ Subject: 'x', StartDateTime: '2026-01-01T10:00:00Z', DurationInMinutes: 30, WhatId: acc.id }) }); const ev = await r.json() as {id: string}; console.log(r.status, ev);
r = await fetch(`${base}/sobjects/Event/${ev.id}?fields=StartDateTime,EndDateTime,AccountId`, { headers: h }); console.log(r.status, await r.text());
r = await fetch(`${base}/sobjects/Account/${acc.id}`, { method: 'PATCH', headers: h, body: JSON.stringify({ Name: 'B2' }) }); console.log(r.status, await r.text());
r = await fetch(`${base}/sobjects/Account/${acc.id}`, { method: 'DELETE', headers: h }); console.log(r.status, await r.text());
r = await fetch(`${base}/sobjects/Account/${acc.id}`, { method: 'DELETE', headers: h }); console.log(r.status, await r.text());
r = await fetch(`${base}/sobjects/Contact/${c.id}`, { headers: h }); console.log('cascade', r.status, await r.text());
r = await fetch(`${base}/sobjects/Account/describe`, { headers: h }); const d = await r.json() as {fields: unknown[]}; console.log(r.status, r.headers.get('last-modified'), d.fields.length);
r = await fetch(`${base}/sobjects/Account/describe`, { headers: {...h, 'If-Modified-Since': r.headers.get('last-modified')!} }); console.log(r.status);
r = await fetch(`${e.url}/services/data`); console.log(r.status, (await r.text()).slice(0, 100));
r = await fetch(`${base}/limits`, { headers: { Authorization: 'Bearer nope' } }); console.log(r.status, await r.text());
await e.stop();
