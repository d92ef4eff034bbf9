import { Bot, CircleAlert } from 'lucide-react';
import type {
  ApprovalRequest,
  ChatMessage,
  ConversationDetail,
  DecidedApproval as Decided,
} from '../../lib/chat-types.ts';
import type { LiveTurn } from '../../lib/use-chat-turn.ts';
import { AnalyzedSources } from './analyzed-sources.tsx';
import { ApprovalCard, DecidedApproval } from './approval-card.tsx';
import { ConnectCard } from './connect-card.tsx';
import { MarkdownText } from './markdown-text.tsx';

type Decide = (approval: ApprovalRequest, decision: 'approve' | 'reject', reason: string) => void;

function AssistantMessage({
  message,
  conversationId,
  retentionSeconds,
  waitingForConnection,
  decided,
}: {
  message: ChatMessage;
  conversationId: string;
  retentionSeconds: number;
  waitingForConnection: boolean;
  decided: Decided[];
}) {
  if (message.kind === 'connect_prompt') {
    return waitingForConnection ? (
      <ConnectCard conversationId={conversationId} message={message.text} />
    ) : (
      <p className="muted chat-note">{message.text}</p>
    );
  }
  if (message.kind === 'notice') {
    return (
      <div className="banner banner-info chat-note" role="note">
        <CircleAlert aria-hidden className="banner-icon" />
        <p>{message.text}</p>
      </div>
    );
  }
  return (
    <div className="chat-message assistant">
      <Bot aria-hidden className="chat-avatar" size={18} />
      <div className="chat-bubble">
        <AnalyzedSources
          conversationId={conversationId}
          steps={message.steps}
          retentionSeconds={retentionSeconds}
        />
        {decided.map((entry) => (
          <DecidedApproval key={entry.approvalId} decided={entry} />
        ))}
        {message.text ? <MarkdownText text={message.text} /> : null}
      </div>
    </div>
  );
}

/** The stored conversation, then what the turn in progress has streamed, then open approvals. */
export function MessageList({
  detail,
  live,
  running,
  instanceUrl,
  onDecide,
}: {
  detail: ConversationDetail;
  live: LiveTurn;
  running: boolean;
  instanceUrl: string | undefined;
  onDecide: Decide;
}) {
  const conversationId = detail.conversation.id;
  const last = detail.messages.at(-1);
  const approvals = [
    ...detail.pendingApprovals,
    ...live.approvals.filter(
      (approval) => !detail.pendingApprovals.some((entry) => entry.approvalId === approval.approvalId),
    ),
  ];
  return (
    <div className="chat-log" role="log" aria-label="Conversation" aria-live="polite">
      {/* While a turn runs, what it stores is shown from its stream (once, not twice). */}
      {(running ? detail.messages.slice(0, live.storedBefore) : detail.messages).map((message) =>
        message.role === 'user' ? (
          <div key={message.id} className="chat-message user">
            <div className="chat-bubble">{message.text}</div>
          </div>
        ) : (
          <AssistantMessage
            key={message.id}
            message={message}
            conversationId={conversationId}
            retentionSeconds={detail.resultRetentionSeconds}
            waitingForConnection={!running && message === last}
            decided={(detail.decidedApprovals ?? []).filter((entry) => entry.messageId === message.id)}
          />
        ),
      )}
      {running && live.userText ? (
        <div className="chat-message user">
          <div className="chat-bubble">{live.userText}</div>
        </div>
      ) : null}
      {running ? (
        <div className="chat-message assistant">
          <Bot aria-hidden className="chat-avatar" size={18} />
          <div className="chat-bubble">
            <AnalyzedSources
              conversationId={conversationId}
              steps={live.steps}
              retentionSeconds={detail.resultRetentionSeconds}
            />
            {live.text ? <MarkdownText text={live.text} /> : <p className="muted">Thinking…</p>}
          </div>
        </div>
      ) : null}
      {live.connect ? <ConnectCard conversationId={conversationId} message={live.connect.message} /> : null}
      {live.notices.map((notice) => (
        <div
          key={`${notice.code}:${notice.message}`}
          className={`banner ${notice.error ? 'banner-error' : 'banner-info'}`}
          role="alert"
        >
          <CircleAlert aria-hidden className="banner-icon" />
          <p>{notice.message}</p>
        </div>
      ))}
      {approvals.map((approval) => (
        <ApprovalCard
          key={approval.approvalId}
          approval={approval}
          instanceUrl={instanceUrl}
          busy={running}
          onDecide={(decision, reason) => onDecide(approval, decision, reason)}
        />
      ))}
    </div>
  );
}
