import { Chat, useChat } from '@ai-sdk/react';
import { useQueryClient } from '@tanstack/react-query';
import { DefaultChatTransport, lastAssistantMessageIsCompleteWithApprovalResponses } from 'ai';
import { useEffect, useRef, useState } from 'react';
import { api, apiHeaders } from './api.ts';
import type { ConversationDetail } from './chat-types.ts';
import {
  type ChatUIMessage,
  chatFailureMessage,
  chatRequestBody,
  streamErrorsOf,
  toUIMessages,
} from './chat-ui-messages.ts';

type Action =
  | { kind: 'send'; text: string }
  | { kind: 'decide'; approvalId: string; approved: boolean; reason: string }
  | { kind: 'resume' };

export interface ChatFailure {
  message: string;
  retry: () => void;
}

/** Only the CSRF token: the transport sends its own Content-Type, and the answer is a stream. */
function csrfHeader(): Record<string, string> {
  const { 'X-CSRF-Token': token } = apiHeaders('POST', false);
  return token ? { 'X-CSRF-Token': token } : {};
}

function detailPath(conversationId: string): string {
  return `/conversations/${encodeURIComponent(conversationId)}`;
}

/**
 * One conversation on `useChat` over the chat protocol (`POST /api/conversations/:id/chat`, the AI
 * SDK UI message stream; README "Chat protocol"): a message, an answer to an approval request
 * (`addToolApprovalResponse`, sent by itself once every request of the message is answered), and
 * `regenerate()` to answer a message that waited for Salesforce to be connected. The server keeps
 * the conversation: when a turn ends, the stored one replaces what was streamed (the same ids), and
 * tells who decided an approval and when.
 */
export function useConversationChat(detail: ConversationDetail) {
  const conversationId = detail.conversation.id;
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<ChatFailure | null>(null);
  const lastAction = useRef<Action | null>(null);
  const ended = useRef<(outcome: { message: ChatUIMessage; isAbort: boolean; isError: boolean }) => void>(
    () => {},
  );
  const [chat] = useState(
    () =>
      new Chat<ChatUIMessage>({
        id: conversationId,
        messages: toUIMessages(detail),
        transport: new DefaultChatTransport<ChatUIMessage>({
          api: `/api${detailPath(conversationId)}/chat`,
          credentials: 'same-origin',
          headers: csrfHeader,
          prepareSendMessagesRequest: ({ id, messages, trigger, messageId }) => ({
            body: chatRequestBody({ id, messages, trigger, messageId }),
          }),
        }),
        sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
        onFinish: (outcome) => ended.current(outcome),
      }),
  );
  const helpers = useChat({ chat });
  const running = helpers.status === 'submitted' || helpers.status === 'streaming';

  // Set when the conversation closes: a wait for a stopped turn ends with it.
  const closed = useRef(false);
  useEffect(() => {
    closed.current = false;
    return () => {
      closed.current = true;
    };
  }, []);
  const idle = () => chat.status !== 'submitted' && chat.status !== 'streaming';

  async function fetchDetail(): Promise<ConversationDetail | undefined> {
    return queryClient
      .fetchQuery({
        queryKey: ['conversation', conversationId],
        queryFn: () => api<ConversationDetail>(detailPath(conversationId)),
        staleTime: 0,
      })
      .catch(() => undefined);
  }

  /** The stored conversation replaces the streamed one, unless another request started meanwhile. */
  async function reload() {
    const fresh = await fetchDetail();
    void queryClient.invalidateQueries({ queryKey: ['conversations'] });
    if (fresh && idle()) chat.messages = toUIMessages(fresh);
  }

  /**
   * After Stop the server still finishes the turn: what was read stays on screen, and once the turn
   * ends (the conversation says no turn runs) its stored answer replaces it and the notice goes.
   * Asks every second; a new message, or leaving the conversation, ends the wait.
   */
  async function followStoppedTurn() {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (closed.current || !idle()) return;
      const fresh = await fetchDetail();
      if (!fresh || closed.current || !idle()) return;
      if (!fresh.turnRunning) {
        chat.messages = toUIMessages(fresh);
        setFailure(null);
        void queryClient.invalidateQueries({ queryKey: ['conversations'] });
        return;
      }
    }
  }

  function run(action: Action) {
    lastAction.current = action;
    setFailure(null);
    if (chat.status === 'error') chat.clearError();
    const request: Promise<void> | PromiseLike<void> | void =
      action.kind === 'send'
        ? chat.sendMessage({ text: action.text })
        : action.kind === 'resume'
          ? chat.regenerate()
          : chat.addToolApprovalResponse({
              id: action.approvalId,
              approved: action.approved,
              ...(action.reason ? { reason: action.reason } : {}),
            });
    Promise.resolve(request).catch((error: unknown) =>
      setFailure({ message: chatFailureMessage(error), retry }),
    );
  }
  function retry() {
    if (lastAction.current) run(lastAction.current);
  }

  ended.current = ({ message, isAbort, isError }) => {
    const errors = streamErrorsOf(message);
    if (isAbort) setFailure({ message: 'Stopped. A step already running finishes on the server.', retry });
    else if (isError) setFailure({ message: chatFailureMessage(chat.error), retry });
    // An error inside the stream (the model or Salesforce failed) keeps its words after the turn ends.
    else if (errors.length > 0) setFailure({ message: errors.join(' '), retry });
    if (isAbort) void followStoppedTurn();
    else void reload();
  };

  return {
    messages: helpers.messages,
    running,
    failure,
    reload: () => reload(),
    send: (text: string) => run({ kind: 'send', text }),
    decide: (approvalId: string, decision: 'approve' | 'reject', reason: string) =>
      run({ kind: 'decide', approvalId, approved: decision === 'approve', reason }),
    resume: () => run({ kind: 'resume' }),
    stop: () => void helpers.stop(),
  };
}
