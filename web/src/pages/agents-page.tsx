import { Bot, MessagesSquare, Plus } from 'lucide-react';
import { Link } from 'react-router';
import { EmptyState, ErrorBanner, LoadingBlock } from '../components/status.tsx';
import { LEVEL_LABELS, PROVIDER_LABELS, TOOL_LABELS, useAgents } from '../lib/agents.ts';
import { formatRelative } from '../lib/format.ts';
import { useUser } from '../lib/session.tsx';

/** Every agent of the workspace: admins create and edit them, everyone chats with them. */
export default function AgentsPage() {
  const user = useUser();
  const agents = useAgents();
  const isAdmin = user.role === 'admin';
  return (
    <div className="page">
      <header className="page-header section-header">
        <h1>Agents</h1>
        {isAdmin ? (
          <Link to="/agents/new" className="button button-primary">
            <Plus aria-hidden size={16} />
            New agent
          </Link>
        ) : null}
      </header>
      {agents.isPending ? <LoadingBlock label="Loading agents" /> : null}
      {agents.isError ? <ErrorBanner title="Agents could not be loaded" error={agents.error} /> : null}
      {agents.data && agents.data.length === 0 ? (
        <EmptyState icon={<Bot />} title="No agents yet">
          <p className="muted">
            {isAdmin
              ? 'Create one and choose what it may do in Salesforce.'
              : 'An admin has not created any agent yet.'}
          </p>
        </EmptyState>
      ) : null}
      {agents.data && agents.data.length > 0 ? (
        <ul className="agent-list">
          {agents.data.map((agent) => {
            const approval = Object.entries(agent.connector.permissions)
              .filter(([, level]) => level === 'needs_approval')
              .map(([tool]) => TOOL_LABELS[tool as keyof typeof TOOL_LABELS]);
            return (
              <li key={agent.id} className="card agent-card">
                <div className="agent-card-text">
                  <h2 className="agent-name">
                    <Link to={`/agents/${encodeURIComponent(agent.id)}`}>{agent.name}</Link>
                  </h2>
                  <p className="muted">
                    {PROVIDER_LABELS[agent.model.provider]} · {agent.model.modelId} · updated{' '}
                    {formatRelative(agent.updatedAt)}
                  </p>
                  <p className="muted">
                    {agent.offeredTools.length === 0
                      ? 'No Salesforce tools'
                      : `${agent.offeredTools.filter((tool) => tool !== 'next_page').length} Salesforce tools`}
                    {approval.length > 0 ? ` · ${LEVEL_LABELS.needs_approval}: ${approval.join(', ')}` : ''}
                  </p>
                </div>
                <Link to={`/chat?agent=${encodeURIComponent(agent.id)}`} className="button">
                  <MessagesSquare aria-hidden size={16} />
                  Chat<span className="visually-hidden"> with {agent.name}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}
