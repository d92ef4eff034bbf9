import { ApiError, apiHeaders } from './api.ts';
import type { ChatEvent } from './chat-types.ts';

/**
 * Runs one turn (a message, a resume or an approval decision) and hands each Server-Sent Event to
 * `onEvent` as it arrives. A refusal before the stream starts (404, 403, 409, 410) throws ApiError
 * like any other call. Aborting stops reading; the server still finishes the turn.
 */
export async function streamTurn(
  path: string,
  body: unknown,
  onEvent: (event: ChatEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { ...apiHeaders('POST', body !== undefined), Accept: 'text/event-stream' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal,
    });
  } catch (error) {
    if (signal.aborted) return;
    throw new ApiError(
      0,
      'network_error',
      'Forcefield cannot be reached. Check your connection and try again.',
      {
        cause: String(error),
      },
    );
  }
  if (!response.ok || !response.body) {
    const payload = (await response.json().catch(() => undefined)) as
      | { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
      | undefined;
    throw new ApiError(
      response.status,
      payload?.error?.code ?? 'http_error',
      payload?.error?.message ?? `The request failed (HTTP ${response.status}).`,
      payload?.error?.details,
    );
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      // Events end with a blank line; only `data:` lines carry our JSON (the type is inside it).
      let end = buffer.search(/\r?\n\r?\n/);
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        const data = block
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n');
        if (data) onEvent(JSON.parse(data) as ChatEvent);
        end = buffer.search(/\r?\n\r?\n/);
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
