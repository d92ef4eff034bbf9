import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleAlert, CircleCheck, Cloud, Plug, RefreshCw, Share2, Unplug } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { AddIntegrationDialog } from '../components/add-integration-dialog.tsx';
import { ConfirmDialog } from '../components/modal.tsx';
import { SettingsNav } from '../components/settings-nav.tsx';
import { ShareDialog } from '../components/share-dialog.tsx';
import { EmptyState, ErrorBanner, LoadingBlock } from '../components/status.tsx';
import { useToast } from '../components/toaster.tsx';
import { api, errorMessage } from '../lib/api.ts';
import { startSalesforceConnection, useConnections } from '../lib/connections.ts';
import { formatRelative } from '../lib/format.ts';
import { useUser } from '../lib/session.tsx';
import type { Connection } from '../lib/types.ts';

const INTEGRATIONS_PATH = '/settings/integrations';

interface CheckPart {
  ok: boolean;
  hint: string;
}

interface ConnectionCheck {
  identity: CheckPart;
  api: CheckPart;
  limits: CheckPart & { remaining: number | null; max: number | null };
}

const ERROR_TITLES: Record<string, string> = {
  salesforce_app_not_approved: 'Salesforce has not approved Forcefield for your user',
  salesforce_access_denied: 'Access was declined in Salesforce',
  salesforce_app_blocked: 'The Forcefield app is blocked in Salesforce',
  salesforce_app_misconfigured: 'Forcefield is not set up correctly for Salesforce',
  salesforce_callback_mismatch: 'Forcefield is not set up correctly for Salesforce',
  salesforce_scope_refused: 'Forcefield is not set up correctly for Salesforce',
};

function statusLabel(status: string): string {
  if (status === 'active') return 'Active';
  if (status === 'needs_reconnect') return 'Needs reconnect';
  if (status === 'revoked') return 'Revoked';
  return status;
}

/** Reconnecting logs in where the connection was made. */
function loginHostChoice(loginHost: string): {
  loginHost: 'production' | 'sandbox' | 'custom';
  myDomainUrl?: string;
} {
  if (loginHost === 'https://login.salesforce.com') return { loginHost: 'production' };
  if (loginHost === 'https://test.salesforce.com') return { loginHost: 'sandbox' };
  return { loginHost: 'custom', myDomainUrl: loginHost };
}

function CheckResult({ check }: { check: ConnectionCheck }) {
  const parts: Array<[string, CheckPart]> = [
    ['Identity', check.identity],
    ['API access', check.api],
    ['API limits', check.limits],
  ];
  return (
    <ul className="check-results" aria-label="Check results">
      {parts.map(([label, part]) => (
        <li key={label} className={part.ok ? 'check-ok' : 'check-bad'}>
          {part.ok ? <CircleCheck aria-hidden size={16} /> : <CircleAlert aria-hidden size={16} />}
          <span>
            <strong>{label}:</strong> {part.ok ? 'OK' : 'Problem'}. {part.hint}
          </span>
        </li>
      ))}
    </ul>
  );
}

function ConnectionCard({ connection, highlighted }: { connection: Connection; highlighted: boolean }) {
  const user = useUser();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const [sharing, setSharing] = useState(false);
  const path = `/connections/${encodeURIComponent(connection.id)}`;

  const check = useMutation({
    mutationFn: () => api<ConnectionCheck>(`${path}/check`, { method: 'POST' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['connections'] }),
  });
  const disconnect = useMutation({
    mutationFn: () => api<{ revokedAtSalesforce: boolean; message: string }>(path, { method: 'DELETE' }),
    onSuccess: async (answer) => {
      setConfirming(false);
      toast({ title: `${connection.name} disconnected`, description: answer.message, tone: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['connections'] });
    },
    onError: (error) => {
      setConfirming(false);
      toast({ title: 'Disconnect failed', description: errorMessage(error), tone: 'error' });
    },
  });
  const reconnect = useMutation({
    mutationFn: () =>
      startSalesforceConnection({
        kind: connection.kind,
        name: connection.name,
        returnTo: INTEGRATIONS_PATH,
        ...loginHostChoice(connection.salesforce.loginHost),
      }),
  });

  const usage = connection.apiUsage;
  const needsReconnect = connection.status !== 'active';
  const titleId = `connection-${connection.id}`;
  return (
    <li className={`card connection-card${highlighted ? ' highlighted' : ''}`} aria-labelledby={titleId}>
      <div className="connection-head">
        <Cloud aria-hidden className="connection-icon" />
        <div className="connection-title">
          <h3 id={titleId}>{connection.name}</h3>
          <span className={`badge ${needsReconnect ? 'badge-warning' : 'badge-success'}`}>
            {statusLabel(connection.status)}
          </span>
        </div>
      </div>
      <dl className="facts">
        <div>
          <dt>Salesforce user</dt>
          <dd>
            {connection.salesforce.displayName} ({connection.salesforce.username})
          </dd>
        </div>
        <div>
          <dt>Org</dt>
          <dd>{connection.salesforce.orgId}</dd>
        </div>
        <div>
          <dt>Login host</dt>
          <dd>{connection.salesforce.loginHost}</dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>{formatRelative(connection.lastUsedAt)}</dd>
        </div>
        <div>
          <dt>API usage</dt>
          <dd>
            {usage ? (
              <>
                {usage.used.toLocaleString()} of {usage.max.toLocaleString()} today
                <meter
                  min={0}
                  max={usage.max}
                  value={usage.used}
                  high={usage.max * 0.9}
                  aria-label="API usage"
                />
              </>
            ) : (
              'Not measured yet'
            )}
          </dd>
        </div>
        {connection.kind === 'organization' && connection.shares ? (
          <div>
            <dt>Shared with</dt>
            <dd>
              {connection.shares.team
                ? 'Everyone on the team'
                : `${connection.shares.users.length} people, ${connection.shares.groups.length} groups`}
            </dd>
          </div>
        ) : null}
      </dl>
      {check.data ? <CheckResult check={check.data} /> : null}
      {check.isError ? <ErrorBanner title="The check failed" error={check.error} /> : null}
      {reconnect.isError ? <ErrorBanner title="Reconnect failed" error={reconnect.error} /> : null}
      <div className="card-actions">
        <button type="button" className="button" disabled={check.isPending} onClick={() => check.mutate()}>
          <CircleCheck aria-hidden size={16} />
          {check.isPending ? 'Checking…' : 'Check'}
        </button>
        {needsReconnect && connection.canManage ? (
          <button type="button" className="button button-primary" onClick={() => reconnect.mutate()}>
            <RefreshCw aria-hidden size={16} />
            Reconnect
          </button>
        ) : null}
        {connection.kind === 'organization' && connection.canManage && user.role === 'admin' ? (
          <button type="button" className="button" onClick={() => setSharing(true)}>
            <Share2 aria-hidden size={16} />
            Share
          </button>
        ) : null}
        {connection.canManage ? (
          <button type="button" className="button button-danger-outline" onClick={() => setConfirming(true)}>
            <Unplug aria-hidden size={16} />
            Disconnect
          </button>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Disconnect ${connection.name}?`}
        description={
          connection.kind === 'organization'
            ? 'Forcefield revokes its access at Salesforce and forgets the tokens. Everyone it is shared with loses it at once.'
            : 'Forcefield revokes its access at Salesforce and forgets the tokens. You can connect again at any time.'
        }
        confirmLabel="Disconnect"
        busy={disconnect.isPending}
        onConfirm={() => disconnect.mutate()}
      />
      {sharing ? <ShareDialog connection={connection} open={sharing} onOpenChange={setSharing} /> : null}
    </li>
  );
}

function ConnectionList({
  connections,
  highlightId,
  empty,
}: {
  connections: Connection[];
  highlightId: string | null;
  empty: string;
}) {
  if (connections.length === 0) return <p className="muted empty-line">{empty}</p>;
  return (
    <ul className="connection-list">
      {connections.map((connection) => (
        <ConnectionCard
          key={connection.id}
          connection={connection}
          highlighted={connection.id === highlightId}
        />
      ))}
    </ul>
  );
}

export default function IntegrationsPage() {
  const user = useUser();
  const toast = useToast();
  const connections = useConnections();
  const [searchParams, setSearchParams] = useSearchParams();
  // The chat's connect link (?connect=personal&returnTo=/chat/…) opens the add dialog at once.
  const [adding, setAdding] = useState(() => searchParams.get('connect') !== null);
  const connectedId = searchParams.get('connected');
  const rawErrorCode = searchParams.get('error');
  // The callback's codes are ours; for anything else (a crafted link) none of its text is shown.
  const knownCode = rawErrorCode !== null && /^(oauth|salesforce)_[a-z_]{1,60}$/.test(rawErrorCode);
  const errorCode = rawErrorCode === null ? null : knownCode ? rawErrorCode : 'unknown_error';
  const errorText = knownCode ? (searchParams.get('message') ?? '').slice(0, 1000) || null : null;
  const returnTo = searchParams.get('returnTo');
  const isAdmin = user.role === 'admin';

  useEffect(() => {
    if (connectedId) toast({ title: 'Salesforce connected', tone: 'success' });
  }, [connectedId, toast]);

  function dismissResult() {
    const next = new URLSearchParams(searchParams);
    next.delete('error');
    next.delete('message');
    next.delete('connected');
    setSearchParams(next, { replace: true });
  }

  const all = connections.data ?? [];
  const personal = all.filter((connection) => connection.kind === 'personal');
  const organization = all.filter((connection) => connection.kind === 'organization');
  // Only our own path shapes may come back here: the API checks returnTo again.
  const safeReturnTo = returnTo && /^\/(?![/\\])/.test(returnTo) ? returnTo : INTEGRATIONS_PATH;

  return (
    <div className="page">
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      <SettingsNav />

      {errorCode ? (
        <section className="banner banner-error oauth-error" role="alert" aria-labelledby="oauth-error-title">
          <CircleAlert aria-hidden className="banner-icon" />
          <div>
            <h2 id="oauth-error-title" className="banner-title">
              {ERROR_TITLES[errorCode] ?? 'Salesforce was not connected'}
            </h2>
            <p>{errorText ?? 'Something went wrong while connecting. Try again.'}</p>
            <p className="muted">Error code: {errorCode}</p>
            <div className="card-actions">
              <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
                Try again
              </button>
              <button type="button" className="button" onClick={dismissResult}>
                Dismiss
              </button>
            </div>
          </div>
        </section>
      ) : null}
      {connectedId ? (
        <div className="banner banner-success" role="status">
          <CircleCheck aria-hidden className="banner-icon" />
          <div>
            <p className="banner-title">Salesforce connected</p>
            <button type="button" className="link-button" onClick={dismissResult}>
              Dismiss
            </button>
          </div>
        </div>
      ) : null}

      <div className="section-header">
        <p className="muted">Connect Salesforce to send meeting items and let agents work with your CRM.</p>
        <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
          + Add integration
        </button>
      </div>

      {connections.isPending ? <LoadingBlock label="Loading integrations" /> : null}
      {connections.isError ? (
        <ErrorBanner title="Integrations could not be loaded" error={connections.error} />
      ) : null}
      {connections.data ? (
        <>
          <section aria-labelledby="personal-title" className="integration-section">
            <h2 id="personal-title">Your personal integrations</h2>
            {personal.length === 0 ? (
              <EmptyState icon={<Plug />} title="No personal integration yet">
                <p className="muted">Connect your own Salesforce user to send items as yourself.</p>
              </EmptyState>
            ) : (
              <ConnectionList connections={personal} highlightId={connectedId} empty="" />
            )}
          </section>
          <section aria-labelledby="organization-title" className="integration-section">
            <h2 id="organization-title">Organization integrations</h2>
            <ConnectionList
              connections={organization}
              highlightId={connectedId}
              empty={
                isAdmin
                  ? 'No organization integration yet. Add one with a Salesforce service account, then share it.'
                  : 'No organization integration is shared with you.'
              }
            />
          </section>
        </>
      ) : null}
      <AddIntegrationDialog
        open={adding}
        onOpenChange={setAdding}
        isAdmin={isAdmin}
        returnTo={safeReturnTo}
      />
    </div>
  );
}
