import { RotateCcw } from 'lucide-react';
import { useEffect, useRef } from 'react';
import type { ConversationDetail } from '../../lib/chat-types.ts';
import { type ChatUIMessage, says } from '../../lib/chat-ui-messages.ts';
import { useConversationChat } from '../../lib/use-conversation-chat.ts';
import { useFollowNewest } from '../../lib/use-follow-newest.ts';
import { ErrorBanner } from '../status.tsx';
import { Composer } from './composer.tsx';
import { MessageList } from './message-list.tsx';

/** Resumed at most once per conversation and page load, so a failing connection never loops. */
const resumed = new Set<string>();

/** What changes when the conversation grows: a message, a streamed part or word, a failure. */
function shownContent(messages: ChatUIMessage[], failed: boolean): string {
  const last = messages.at(-1);
  const textLength = last?.parts.reduce(
    (length, part) => length + ('text' in part ? part.text.length : 0),
    0,
  );
  return `${messages.length}:${last?.parts.length}:${textLength}:${failed ? 'failed' : ''}`;
}

/**
 * One conversation (mounted per conversation id): the messages, approvals and connecting inline,
 * Retry after a failure, and the message box.
 */
export function ConversationChat({
  detail,
  fresh,
  agentName,
  connected,
  instanceUrl,
  firstMessage,
  onFirstMessageSent,
}: {
  detail: ConversationDetail;
  /** The detail was read for this view (not a cached copy that may be behind). */
  fresh: boolean;
  agentName: string | undefined;
  /** The person (or the shared connection) can reach Salesforce now. */
  connected: boolean;
  instanceUrl: string | undefined;
  /** The text typed before the conversation existed: sent as soon as it does. */
  firstMessage: string | undefined;
  onFirstMessageSent: () => void;
}) {
  const conversationId = detail.conversation.id;
  const chat = useConversationChat(detail);
  const started = useRef(false);
  const newest = useFollowNewest(shownContent(chat.messages, chat.failure !== null));

  // Sends the first message once; otherwise a cached copy of the conversation is brought up to date.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (firstMessage) {
      chat.send(firstMessage);
      onFirstMessageSent();
    } else if (!fresh) void chat.reload();
  });

  // Back from connecting Salesforce: a message waiting for the connection is answered by itself.
  const waiting = chat.messages.at(-1)?.parts.some((part) => part.type === 'data-connect') ?? false;
  useEffect(() => {
    if (!waiting || !connected || chat.running || resumed.has(conversationId)) return;
    resumed.add(conversationId);
    chat.resume();
  });

  return (
    <>
      <MessageList
        messages={chat.messages}
        decided={detail.decidedApprovals ?? []}
        conversationId={conversationId}
        retentionSeconds={detail.resultRetentionSeconds}
        running={chat.running}
        instanceUrl={instanceUrl}
        onDecide={chat.decide}
      />
      {chat.failure ? (
        <ErrorBanner title="The agent could not answer">
          {/* The answer above already says what failed (the stream's error, then the stored text). */}
          {says(chat.messages.at(-1), chat.failure.message) ? null : <p>{chat.failure.message}</p>}
          <button type="button" className="button" onClick={chat.failure.retry}>
            <RotateCcw aria-hidden size={16} />
            Retry
          </button>
        </ErrorBanner>
      ) : null}
      <Composer
        agentName={agentName}
        running={chat.running}
        focusOnMount={firstMessage !== undefined}
        onSend={(text) => {
          newest.follow();
          chat.send(text);
          return true;
        }}
        onStop={chat.stop}
      />
      <div ref={newest.end} />
    </>
  );
}
