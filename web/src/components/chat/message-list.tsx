import { Bot, CircleAlert } from 'lucide-react';
import type { DecidedApproval as Decided } from '../../lib/chat-types.ts';
import { approvalCardsOf, type ChatUIMessage, stepsOf } from '../../lib/chat-ui-messages.ts';
import { ErrorBanner } from '../status.tsx';
import { AnalyzedSources } from './analyzed-sources.tsx';
import { ApprovalCard, DecidedApproval } from './approval-card.tsx';
import { ConnectCard } from './connect-card.tsx';
import { MarkdownText } from './markdown-text.tsx';

type Decide = (approvalId: string, decision: 'approve' | 'reject', reason: string) => void;

interface Shared {
  conversationId: string;
  retentionSeconds: number;
  running: boolean;
  instanceUrl: string | undefined;
  onDecide: Decide;
}

function Thinking() {
  return (
    <div className="chat-message assistant">
      <Bot aria-hidden className="chat-avatar" size={18} />
      <div className="chat-bubble">
        <p className="muted">Thinking…</p>
      </div>
    </div>
  );
}

/**
 * One answer, from its UI message parts: `data-step` → Analyzed sources, the decided approvals
 * (who and when, from the stored conversation), `text` → Markdown, `data-connect` → Connect
 * Salesforce, `data-notice` / `data-error` → readable banners, `data-approval` → the approval card
 * while its tool part asks for it.
 */
function AssistantMessage({
  message,
  shared,
  decided,
  streaming,
  last,
}: {
  message: ChatUIMessage;
  shared: Shared;
  decided: Decided[];
  streaming: boolean;
  last: boolean;
}) {
  const steps = stepsOf(message);
  const texts = message.parts.flatMap((part) => (part.type === 'text' && part.text ? [part.text] : []));
  const bubble = steps.length > 0 || decided.length > 0 || texts.length > 0 || streaming;
  return (
    <>
      {bubble ? (
        <div className="chat-message assistant">
          <Bot aria-hidden className="chat-avatar" size={18} />
          <div className="chat-bubble">
            <AnalyzedSources
              conversationId={shared.conversationId}
              steps={steps}
              retentionSeconds={shared.retentionSeconds}
            />
            {decided.map((entry) => (
              <DecidedApproval key={entry.approvalId} decided={entry} />
            ))}
            {texts.map((text, index) => (
              // Text parts only grow or are appended while streaming: their position is their identity.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <MarkdownText key={index} text={text} />
            ))}
            {streaming && texts.length === 0 ? <p className="muted">Thinking…</p> : null}
          </div>
        </div>
      ) : null}
      {message.parts.map((part, index) => {
        const key = `${part.type}-${index}`;
        if (part.type === 'data-connect') {
          // Only the last answer waits for the connection; earlier prompts are history.
          return last && !shared.running ? (
            <ConnectCard key={key} conversationId={shared.conversationId} message={part.data.message} />
          ) : (
            <p key={key} className="muted chat-note">
              {part.data.message}
            </p>
          );
        }
        if (part.type === 'data-notice') {
          return (
            <div key={key} className="banner banner-info chat-note" role="note">
              <CircleAlert aria-hidden className="banner-icon" />
              <p>{part.data.message}</p>
            </div>
          );
        }
        if (part.type === 'data-error') {
          return (
            <ErrorBanner key={key}>
              <p>{part.data.message}</p>
            </ErrorBanner>
          );
        }
        return null;
      })}
      {approvalCardsOf(message).map(({ approval, answered }) => (
        <ApprovalCard
          key={approval.approvalId}
          approval={approval}
          instanceUrl={shared.instanceUrl}
          busy={shared.running || answered}
          onDecide={(decision, reason) => shared.onDecide(approval.approvalId, decision, reason)}
        />
      ))}
    </>
  );
}

/** The conversation as `useChat` holds it; while a turn runs, its answer streams into the last message. */
export function MessageList({
  messages,
  decided,
  ...shared
}: Shared & {
  messages: ChatUIMessage[];
  decided: Decided[];
}) {
  const last = messages.at(-1);
  return (
    <div className="chat-log" role="log" aria-label="Conversation" aria-live="polite">
      {messages.map((message) =>
        message.role === 'user' ? (
          <div key={message.id} className="chat-message user">
            <div className="chat-bubble">
              {message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n')}
            </div>
          </div>
        ) : (
          <AssistantMessage
            key={message.id}
            message={message}
            shared={shared}
            decided={decided.filter((entry) => entry.messageId === message.id)}
            streaming={shared.running && message === last}
            last={message === last}
          />
        ),
      )}
      {shared.running && last?.role === 'user' ? <Thinking /> : null}
    </div>
  );
}
