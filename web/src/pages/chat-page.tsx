import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { MessageSquarePlus, MessagesSquare } from 'lucide-react';
import { useId, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { Composer } from '../components/chat/composer.tsx';
import { ConversationChat } from '../components/chat/conversation-chat.tsx';
import { EmptyState, ErrorBanner, LoadingBlock } from '../components/status.tsx';
import { useAgents } from '../lib/agents.ts';
import { api } from '../lib/api.ts';
import type { Conversation, ConversationDetail } from '../lib/chat-types.ts';
import { useConnections } from '../lib/connections.ts';
import { formatRelative } from '../lib/format.ts';
import { useUser } from '../lib/session.tsx';

/**
 * Chat: pick an agent, keep conversations, stream answers (`useChat` over the chat protocol);
 * approvals and connecting happen inline.
 */
export default function ChatPage() {
  const id = useId();
  const { conversationId } = useParams();
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const agents = useAgents();
  const user = useUser();
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
  // The first message of a new conversation, kept while the page moves to the conversation's address.
  const [outbox, setOutbox] = useState<{ conversationId: string; text: string } | null>(null);

  const agentId =
    detail.data?.conversation.agentId ?? searchParams.get('agent') ?? agents.data?.[0]?.id ?? '';
  const agent = agents.data?.find((entry) => entry.id === agentId);
  const personal = connections.data?.find(
    (connection) => connection.kind === 'personal' && connection.status === 'active',
  );
  const shared = connections.data?.find(
    (connection) => connection.id === agent?.connector.sharedConnectionId,
  );
  const connected = agent?.connector.connectionMethod === 'shared' ? shared : personal;

  const start = useMutation({
    mutationFn: (input: { agentId: string; title: string }) =>
      api<{ conversation: Conversation }>('/conversations', { method: 'POST', body: input }),
  });

  /** A new conversation: created first, then its page sends the message. */
  async function startConversation(message: string): Promise<boolean> {
    if (!agentId) return false;
    const created = await start.mutateAsync({ agentId, title: message.slice(0, 80) }).catch(() => undefined);
    if (!created) return false;
    const target = created.conversation.id;
    queryClient.setQueryData(['conversation', target], {
      conversation: created.conversation,
      live: true,
      resultRetentionSeconds: 1800,
      messages: [],
      pendingApprovals: [],
      decidedApprovals: [],
    } satisfies ConversationDetail);
    setOutbox({ conversationId: target, text: message });
    navigate(`/chat/${encodeURIComponent(target)}`);
    return true;
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
          {user.role === 'admin' ? (
            // Not a dead end for the one who can fix it.
            <>
              <p className="muted">Create an agent, then chat with it here.</p>
              <Link to="/agents/new" className="button button-primary">
                New agent
              </Link>
            </>
          ) : (
            <p className="muted">An admin creates agents under Agents.</p>
          )}
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
            {conversationId && detail.data ? (
              <ConversationChat
                key={conversationId}
                detail={detail.data}
                fresh={detail.isFetchedAfterMount}
                agentName={agent?.name}
                connected={connected !== undefined}
                instanceUrl={connected?.salesforce.instanceUrl}
                firstMessage={outbox?.conversationId === conversationId ? outbox.text : undefined}
                onFirstMessageSent={() => setOutbox(null)}
              />
            ) : null}
            {!conversationId ? (
              <>
                <p className="muted chat-empty">
                  Ask {agent?.name ?? 'the agent'} about your accounts, contacts, leads, opportunities and
                  cases.
                </p>
                {start.isError ? (
                  <ErrorBanner title="The conversation could not start" error={start.error} />
                ) : null}
                <Composer
                  agentName={agent?.name}
                  running={false}
                  busy={start.isPending || !agentId}
                  onSend={startConversation}
                />
              </>
            ) : null}
          </section>
        </div>
      ) : null}
    </div>
  );
}
