import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { MessageSquarePlus, MessagesSquare, RotateCcw, Send, Square } from 'lucide-react';
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { MessageList } from '../components/chat/message-list.tsx';
import { EmptyState, ErrorBanner, LoadingBlock } from '../components/status.tsx';
import { useAgents } from '../lib/agents.ts';
import { api } from '../lib/api.ts';
import type { Conversation, ConversationDetail } from '../lib/chat-types.ts';
import { useConnections } from '../lib/connections.ts';
import { formatRelative } from '../lib/format.ts';
import { useChatTurn } from '../lib/use-chat-turn.ts';

/** Chat: pick an agent, keep conversations, stream answers; approvals and connecting happen inline. */
export default function ChatPage() {
  const id = useId();
  const { conversationId } = useParams();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const agents = useAgents();
  const connections = useConnections();
  const conversations = useQuery({
    queryKey: ['conversations'],
    queryFn: () => api<{ conversations: Conversation[] }>('/conversations'),
    select: (answer) => answer.conversations,
  });
  const detail = useQuery({
    queryKey: ['conversation', conversationId],
    queryFn: () => api<ConversationDetail>(`/conversations/${encodeURIComponent(conversationId ?? '')}`),
    enabled: conversationId !== undefined,
  });
  const turn = useChatTurn(conversationId);
  const [text, setText] = useState('');
  // Resumed at most once per conversation and page load, so a failing connection never loops.
  const resumed = useRef(new Set<string>());
  const composer = useRef<HTMLTextAreaElement>(null);

  const agentId =
    detail.data?.conversation.agentId ?? searchParams.get('agent') ?? agents.data?.[0]?.id ?? '';
  const agent = agents.data?.find((entry) => entry.id === agentId);
  const personal = connections.data?.find(
    (connection) => connection.kind === 'personal' && connection.status === 'active',
  );
  const shared = connections.data?.find(
    (connection) => connection.id === agent?.connector.sharedConnectionId,
  );

  // Back from connecting Salesforce: a message waiting for the connection is answered by itself.
  const connected = agent?.connector.connectionMethod === 'shared' ? shared : personal;
  useEffect(() => {
    const waiting = detail.data?.messages.at(-1)?.kind === 'connect_prompt';
    if (!waiting || !conversationId || !connected || turn.running || resumed.current.has(conversationId))
      return;
    resumed.current.add(conversationId);
    void turn.resume();
  }, [detail.data, conversationId, connected, turn]);

  const start = useMutation({
    mutationFn: (input: { agentId: string; title: string }) =>
      api<{ conversation: Conversation }>('/conversations', { method: 'POST', body: input }),
  });

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    const message = text.trim();
    if (!message || turn.running || !agentId) return;
    setText('');
    let target = conversationId;
    if (!target) {
      const created = await start
        .mutateAsync({ agentId, title: message.slice(0, 80) })
        .catch(() => undefined);
      if (!created) {
        setText(message);
        return;
      }
      target = created.conversation.id;
      queryClient.setQueryData(['conversation', target], {
        conversation: created.conversation,
        live: true,
        resultRetentionSeconds: 1800,
        messages: [],
        pendingApprovals: [],
      } satisfies ConversationDetail);
      navigate(`/chat/${encodeURIComponent(target)}`);
    }
    await turn.send(message, target);
    composer.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter starts a new line, as in every chat.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  }

  const own = (conversations.data ?? []).filter((conversation) => conversation.agentId === agentId);
  return (
    <div className="page chat-page">
      <header className="page-header">
        <h1>Chat</h1>
      </header>
      {agents.isPending ? <LoadingBlock label="Loading agents" /> : null}
      {agents.isError ? <ErrorBanner title="Agents could not be loaded" error={agents.error} /> : null}
      {agents.data && agents.data.length === 0 ? (
        <EmptyState icon={<MessagesSquare />} title="No agent to chat with yet">
          <p className="muted">An admin creates agents under Agents.</p>
        </EmptyState>
      ) : null}
      {agents.data && agents.data.length > 0 ? (
        <div className="chat-layout">
          <aside className="chat-sidebar" aria-label="Conversations">
            <div className="field">
              <label htmlFor={`${id}-agent`}>Agent</label>
              <select
                id={`${id}-agent`}
                value={agentId}
                onChange={(event) => navigate(`/chat?agent=${encodeURIComponent(event.target.value)}`)}
              >
                {agents.data.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.name}
                  </option>
                ))}
              </select>
            </div>
            <Link to={`/chat?agent=${encodeURIComponent(agentId)}`} className="button">
              <MessageSquarePlus aria-hidden size={16} />
              New conversation
            </Link>
            <ul className="conversation-list" aria-label="Your conversations">
              {own.map((conversation) => (
                <li key={conversation.id}>
                  <Link
                    to={`/chat/${encodeURIComponent(conversation.id)}`}
                    className={`conversation-link${conversation.id === conversationId ? ' active' : ''}`}
                    aria-current={conversation.id === conversationId ? 'page' : undefined}
                  >
                    <span>{conversation.title ?? 'Conversation'}</span>
                    <span className="muted">{formatRelative(conversation.updatedAt)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </aside>
          <section className="chat-main" aria-label={agent ? `Chat with ${agent.name}` : 'Chat'}>
            {conversationId && detail.isPending ? <LoadingBlock label="Loading the conversation" /> : null}
            {detail.isError ? (
              <ErrorBanner title="This conversation could not be loaded" error={detail.error} />
            ) : null}
            {detail.data ? (
              <MessageList
                detail={detail.data}
                live={turn.live}
                running={turn.running}
                instanceUrl={connected?.salesforce.instanceUrl}
                onDecide={(approval, decision, reason) => void turn.decide(approval, decision, reason)}
              />
            ) : !conversationId ? (
              <p className="muted chat-empty">
                Ask {agent?.name ?? 'the agent'} about your accounts, contacts, leads, opportunities and
                cases.
              </p>
            ) : null}
            {start.isError ? (
              <ErrorBanner title="The conversation could not start" error={start.error} />
            ) : null}
            {turn.failure ? (
              <ErrorBanner title="The agent could not answer">
                <p>{turn.failure.message}</p>
                <button type="button" className="button" onClick={turn.failure.retry}>
                  <RotateCcw aria-hidden size={16} />
                  Retry
                </button>
              </ErrorBanner>
            ) : null}
            <form className="composer" onSubmit={submit}>
              <label htmlFor={`${id}-message`} className="visually-hidden">
                Message
              </label>
              <textarea
                id={`${id}-message`}
                ref={composer}
                rows={2}
                maxLength={20_000}
                value={text}
                placeholder={`Message ${agent?.name ?? ''}`}
                onChange={(event) => setText(event.target.value)}
                onKeyDown={onKeyDown}
              />
              {turn.running ? (
                <button type="button" className="button" onClick={turn.stop}>
                  <Square aria-hidden size={16} />
                  Stop
                </button>
              ) : (
                <button
                  type="submit"
                  className="button button-primary"
                  disabled={!text.trim() || start.isPending}
                >
                  <Send aria-hidden size={16} />
                  Send
                </button>
              )}
            </form>
          </section>
        </div>
      ) : null}
    </div>
  );
}
