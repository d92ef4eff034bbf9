import { createUIMessageStream, createUIMessageStreamResponse } from 'ai';
import type { TurnRunner } from '../agent/turns/chat-events.ts';
import { type ChatUIMessage, UIMessageChunkTranslator } from '../agent/turns/ui-message-chunks.ts';

/**
 * A turn as the AI SDK UI message stream (Server-Sent Events with the
 * `x-vercel-ai-ui-message-stream: v1` header, ending with `data: [DONE]`), which `useChat` reads.
 * Refusals (404, 403, 409, 410) were raised before the runner was handed over, as JSON errors.
 */
export function uiMessageStreamResponse(runner: TurnRunner): Response {
  const stream = createUIMessageStream<ChatUIMessage>({
    execute: async ({ writer }) => {
      const translator = new UIMessageChunkTranslator();
      try {
        await runner((event) => {
          for (const chunk of translator.translate(event)) {
            try {
              writer.write(chunk);
            } catch {
              // The person closed the tab: the turn still finishes and is saved.
            }
          }
        });
      } catch {
        writer.write({
          type: 'data-error',
          data: { code: 'internal_error', message: 'Something went wrong on our side. Try again.' },
        });
        writer.write({ type: 'finish', messageMetadata: { status: 'error' } });
      }
    },
    // Only our own sentences reach the person; errors never carry provider or Salesforce text.
    onError: () => 'Something went wrong on our side. Try again.',
  });
  return createUIMessageStreamResponse({ stream });
}
