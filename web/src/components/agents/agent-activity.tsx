import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Download, ScrollText } from 'lucide-react';
import { useId, useState } from 'react';
import {
  ACTIVITY_OUTCOMES,
  activityCsv,
  activityOutcome,
  fetchActivityPage,
  toolLabel,
} from '../../lib/agent-activity.ts';
import type { Agent } from '../../lib/agents.ts';
import { api, errorMessage } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useUser } from '../../lib/session.tsx';
import type { AuditEvent, User } from '../../lib/types.ts';
import { EmptyState, ErrorBanner, LoadingBlock } from '../status.tsx';
import { LoadMoreButton, OutcomeBadge, TableRegion } from '../table-region.tsx';

/** The Activity tab: tool calls, refusals and decisions (who, when, tool, object, record ids, outcome). */
export function AgentActivity({ agent }: { agent: Agent }) {
  const me = useUser();
  const id = useId();
  const isAdmin = me.role === 'admin';
  const [person, setPerson] = useState('');
  const [outcome, setOutcome] = useState('');
  const [exportError, setExportError] = useState<string | null>(null);
  const users = useQuery({
    queryKey: ['users'],
    queryFn: () => api<{ users: User[] }>('/users'),
    enabled: isAdmin,
  });
  const activity = useInfiniteQuery({
    queryKey: ['agent-activity', agent.id, person],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      fetchActivityPage(agent, {
        limit: 100,
        ...(person ? { actorUserId: person } : {}),
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const nameOf = (userId: string | null) =>
    userId === null
      ? 'System'
      : userId === me.id
        ? me.name
        : (users.data?.users.find((user) => user.id === userId)?.name ?? userId);
  const rows = (activity.data?.pages.flatMap((page) => page.events) ?? []).filter(
    (event) => outcome === '' || event.action === outcome,
  );

  async function exportCsv() {
    setExportError(null);
    try {
      const all: AuditEvent[] = [];
      let cursor: string | undefined;
      do {
        const page = await fetchActivityPage(agent, {
          limit: 500,
          ...(person ? { actorUserId: person } : {}),
          ...(cursor ? { cursor } : {}),
        });
        all.push(...page.events.filter((event) => outcome === '' || event.action === outcome));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      const url = URL.createObjectURL(
        new Blob([activityCsv(all, nameOf)], { type: 'text/csv;charset=utf-8' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = `${agent.name.replace(/[^\w-]+/g, '-')}-activity.csv`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setExportError(errorMessage(error));
    }
  }

  return (
    <section className="stack" aria-label="Activity">
      <form className="filters" aria-label="Activity filters" onSubmit={(event) => event.preventDefault()}>
        {isAdmin ? (
          <div className="field">
            <label htmlFor={`${id}-person`}>Person</label>
            <select id={`${id}-person`} value={person} onChange={(event) => setPerson(event.target.value)}>
              <option value="">Everyone</option>
              {(users.data?.users ?? []).map((user) => (
                <option key={user.id} value={user.id}>
                  {user.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-outcome`}>Outcome</label>
          <select id={`${id}-outcome`} value={outcome} onChange={(event) => setOutcome(event.target.value)}>
            <option value="">Any</option>
            {Object.entries(ACTIVITY_OUTCOMES).map(([action, label]) => (
              <option key={action} value={action}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button" onClick={exportCsv} disabled={!activity.data}>
          <Download aria-hidden size={16} />
          Export CSV
        </button>
      </form>
      {exportError ? <ErrorBanner title="The export failed" error={new Error(exportError)} /> : null}
      <p className="muted">
        {isAdmin ? 'Everyone’s calls with this agent.' : 'Your own calls with this agent.'} Field values are
        never recorded.
      </p>
      {activity.isPending ? <LoadingBlock label="Loading activity" /> : null}
      {activity.isError ? <ErrorBanner title="Activity could not be loaded" error={activity.error} /> : null}
      {activity.data && rows.length === 0 ? (
        person || outcome ? (
          <EmptyState icon={<ScrollText />} title="No calls match these filters" />
        ) : (
          <EmptyState icon={<ScrollText />} title="No activity yet">
            <p className="muted">
              Each tool call the agent makes in a chat, and each approval or refusal, shows up here.
            </p>
          </EmptyState>
        )
      ) : null}
      {rows.length > 0 ? (
        <TableRegion label="Activity">
          <table className="table">
            <caption className="visually-hidden">Activity of {agent.name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Tool</th>
                <th scope="col">Object</th>
                <th scope="col">Record ids</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((event) => (
                <tr key={event.id}>
                  <td className="table-time">{formatDateTime(event.at)}</td>
                  <td>{nameOf(event.actorUserId)}</td>
                  <td>{toolLabel(event)}</td>
                  <td>{event.objectType ?? ''}</td>
                  <td>
                    <code>{event.recordIds.join(', ')}</code>
                  </td>
                  <td>
                    <OutcomeBadge outcome={event.outcome}>{activityOutcome(event)}</OutcomeBadge>
                    {event.errorCode ? <span className="muted"> {event.errorCode}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      <LoadMoreButton query={activity} />
    </section>
  );
}
