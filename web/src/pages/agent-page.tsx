import { MessagesSquare } from 'lucide-react';
import { Link, NavLink, useParams } from 'react-router';
import { AgentActivity } from '../components/agents/agent-activity.tsx';
import { AgentSetupForm } from '../components/agents/agent-setup-form.tsx';
import { ErrorBanner, LoadingBlock } from '../components/status.tsx';
import { useAgent } from '../lib/agents.ts';
import { useUser } from '../lib/session.tsx';
import { NotFoundPage } from './not-found-page.tsx';

/** One agent: the Setup tab (editor) and the Activity tab (its trail). `/agents/new` creates one. */
export default function AgentPage({ tab }: { tab: 'setup' | 'activity' }) {
  const { agentId } = useParams();
  const user = useUser();
  const isNew = agentId === undefined;
  const agent = useAgent(agentId);
  const isAdmin = user.role === 'admin';
  if (isNew && !isAdmin) return <NotFoundPage />;
  if (!isNew && agent.isPending) return <LoadingBlock label="Loading the agent" />;
  if (!isNew && agent.isError) {
    return (
      <div className="page">
        <ErrorBanner title="This agent could not be loaded" error={agent.error} />
      </div>
    );
  }
  const base = `/agents/${encodeURIComponent(agentId ?? '')}`;
  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <NavLink to="/agents">Agents</NavLink>
      </nav>
      <header className="page-header">
        <h1>{isNew ? 'New agent' : agent.data?.name}</h1>
        {agent.data ? (
          // The way forward from an agent's page (and a member's only one): talk to it.
          <Link to={`/chat?agent=${encodeURIComponent(agent.data.id)}`} className="button">
            <MessagesSquare aria-hidden size={16} />
            Chat<span className="visually-hidden"> with {agent.data.name}</span>
          </Link>
        ) : null}
      </header>
      {!isNew ? (
        <nav aria-label="Agent" className="subnav">
          <NavLink to={base} end className={({ isActive }) => `subnav-link${isActive ? ' active' : ''}`}>
            Setup
          </NavLink>
          <NavLink
            to={`${base}/activity`}
            className={({ isActive }) => `subnav-link${isActive ? ' active' : ''}`}
          >
            Activity
          </NavLink>
        </nav>
      ) : null}
      {tab === 'setup' ? (
        <AgentSetupForm key={agent.data?.id ?? 'new'} agent={agent.data} readOnly={!isAdmin} />
      ) : agent.data ? (
        <AgentActivity agent={agent.data} />
      ) : null}
    </div>
  );
}
