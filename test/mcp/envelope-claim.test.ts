import { isLegacyRequest, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { carriesEnvelopeClaim } from '../../src/mcp/mcp-routes.ts';

/**
 * The route skips the SDK's era classification for bodies that carry the 2026-07-28 envelope
 * claim. It may do so only where the SDK's own predicate would say "not legacy": every body the
 * shortcut takes must be one isLegacyRequest sends to the modern handler too.
 */

const claim = { [PROTOCOL_VERSION_META_KEY]: '2026-07-28' };
const BODIES: Array<{ name: string; body: unknown; shortcut: boolean }> = [
  {
    name: 'a tools/call with the claim',
    body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', _meta: claim } },
    shortcut: true,
  },
  {
    name: 'a string id',
    body: { jsonrpc: '2.0', id: 'a', method: 'tools/list', params: { _meta: claim } },
    shortcut: true,
  },
  {
    name: 'a notification with the claim',
    body: { jsonrpc: '2.0', method: 'notifications/cancelled', params: { _meta: claim } },
    shortcut: true,
  },
  {
    name: 'a claim with a bad value (the handler answers the envelope error)',
    body: {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/list',
      params: { _meta: { [PROTOCOL_VERSION_META_KEY]: 5 } },
    },
    shortcut: true,
  },
  {
    name: 'no claim',
    body: { jsonrpc: '2.0', id: 3, method: 'tools/list', params: {} },
    shortcut: false,
  },
  {
    name: 'initialize with the claim',
    body: { jsonrpc: '2.0', id: 4, method: 'initialize', params: { _meta: claim } },
    shortcut: false,
  },
  {
    name: 'a response carrying a claim',
    body: { jsonrpc: '2.0', id: 5, result: {}, method: 'x', params: { _meta: claim } },
    shortcut: false,
  },
  {
    name: 'a batch',
    body: [{ jsonrpc: '2.0', id: 6, method: 'tools/list', params: { _meta: claim } }],
    shortcut: false,
  },
  {
    name: 'a wrong jsonrpc version',
    body: { jsonrpc: '1.0', id: 7, method: 'tools/list', params: { _meta: claim } },
    shortcut: false,
  },
  {
    name: 'an object id',
    body: { jsonrpc: '2.0', id: {}, method: 'tools/list', params: { _meta: claim } },
    shortcut: false,
  },
  { name: 'not an object', body: 'tools/list', shortcut: false },
];

describe('the envelope-claim shortcut', () => {
  it.each(BODIES)('$name', async ({ body, shortcut }) => {
    expect(carriesEnvelopeClaim(body)).toBe(shortcut);
    if (!shortcut) return;
    const request = new Request('http://localhost/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(await isLegacyRequest(request, body)).toBe(false);
  });
});
