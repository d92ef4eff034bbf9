import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/http/app.ts';
import { parseRawAnswer, RawConnection } from '../support/raw-http.ts';
import { emulatorSalesforce, startTestService, type TestService } from '../support/service.ts';
import { createTestService, type TestService as InProcessService } from '../support/test-service.ts';

let running: TestService;

beforeAll(async () => {
  running = await startTestService(emulatorSalesforce('http://127.0.0.1:9'));
});

afterAll(async () => {
  await running.stop();
});

describe('early refusals close the connection cleanly', () => {
  it('answers an oversized body with 413 and Connection: close, and the client receives it', async () => {
    const connection = await RawConnection.open(running.service.url);
    const body = Buffer.alloc(MAX_BODY_BYTES * 4, 'x');
    const head =
      'POST /api/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`;
    // The client keeps sending the whole body while the server has already refused it.
    await connection.write(head);
    connection.write(body).catch(() => {});
    const { received, error } = await connection.closed;
    const answer = parseRawAnswer(received);
    expect(error).toBeUndefined();
    expect(answer?.status).toBe(413);
    expect(answer?.headers.connection).toBe('close');
    expect(JSON.parse(answer?.body ?? '{}').error.code).toBe('payload_too_large');
  });

  it('closes after a refusal that left a small body unread, and keeps alive after one that read it', async () => {
    const connection = await RawConnection.open(running.service.url);
    const body = JSON.stringify({ name: 'x' });
    // No credentials: refused with 401 before the body is read.
    await connection.write(
      `POST /api/connections HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    const { received } = await connection.closed;
    const answer = parseRawAnswer(received);
    expect(answer?.status).toBe(401);
    expect(answer?.headers.connection).toBe('close');

    const reused = await RawConnection.open(running.service.url);
    const login = JSON.stringify({ email: 'nobody@example.com', password: 'wrong-password' });
    await reused.write(
      `POST /api/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${login.length}\r\n\r\n${login}`,
    );
    const first = parseRawAnswer(await reused.until('"}}'));
    expect(first?.status).toBe(401);
    expect(first?.headers.connection).toBe('keep-alive');
    // The same connection serves the next request.
    await reused.write('GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n');
    const { received: both } = await reused.closed;
    expect(both).toContain('{"status":"ok"}');
  });
});

describe('caching', () => {
  let service: InProcessService;

  beforeAll(async () => {
    service = await createTestService({
      environment: {
        FORCEFIELD_ADMIN_EMAIL: 'admin@example.com',
        FORCEFIELD_ADMIN_PASSWORD: 'a-long-admin-password',
      },
    });
  });

  afterAll(async () => {
    await service.stop();
  });

  it('marks every API answer and every authenticated answer no-store', async () => {
    const anonymous = await service.fetch(`${service.url}/api/me`);
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
    const session = await service.logIn('admin@example.com', 'a-long-admin-password');
    const me = await session.call('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    const page = await session.browser.fetch(`${service.url}/`);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const health = await service.fetch(`${service.url}/healthz`);
    expect(health.headers.get('cache-control')).toBeNull();
  });
});
