import { Cloud } from 'lucide-react';
import { RadioGroup } from 'radix-ui';
import { useId, useState } from 'react';
import { type ConnectorSettings, DEFAULT_PERMISSIONS, hasConnector } from '../../lib/agents.ts';
import { useConnections } from '../../lib/connections.ts';
import type { Connection } from '../../lib/types.ts';
import { RadioGroupRoot } from '../radio-group.tsx';
import { ShareDialog } from '../share-dialog.tsx';
import { AddConnectorDialog } from './add-connector-dialog.tsx';
import { ChangeConnectionDialog } from './change-connection-dialog.tsx';
import { ToolPermissions } from './tool-permissions.tsx';

/** The agent's connectors: Salesforce, how it connects, and what each tool may do. */
export function ConnectorsSection({
  connector,
  onChange,
  readOnly,
  returnTo,
}: {
  connector: ConnectorSettings;
  onChange: (connector: ConnectorSettings) => void;
  readOnly: boolean;
  returnTo: string;
}) {
  const id = useId();
  const [adding, setAdding] = useState(false);
  const [changing, setChanging] = useState(false);
  const [sharing, setSharing] = useState<Connection | null>(null);
  const connections = useConnections();
  const organization = (connections.data ?? []).filter(
    (connection) => connection.kind === 'organization' && connection.status === 'active',
  );
  const shared = organization.find((connection) => connection.id === connector.sharedConnectionId);
  const present = hasConnector(connector);

  function setMethod(method: 'per_user' | 'shared') {
    if (method === 'per_user') onChange({ connectionMethod: 'per_user', permissions: connector.permissions });
    else {
      const first = organization[0]?.id;
      onChange({
        connectionMethod: 'shared',
        permissions: connector.permissions,
        ...(first ? { sharedConnectionId: connector.sharedConnectionId ?? first } : {}),
      });
      if (!first) setChanging(true);
    }
  }

  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <div className="section-header">
        <h3 id={`${id}-title`}>Connectors</h3>
        {!present && !readOnly ? (
          <button type="button" className="button" onClick={() => setAdding(true)}>
            + Add connector
          </button>
        ) : null}
      </div>
      {!present ? (
        <p className="muted">No connector: this agent only chats, it cannot reach Salesforce.</p>
      ) : (
        <section className="connector stack" aria-label="Salesforce connector">
          <div className="connection-head">
            <Cloud aria-hidden className="connection-icon" />
            <h4>Salesforce</h4>
          </div>
          <fieldset className="choice-group" disabled={readOnly}>
            <legend id={`${id}-method`}>Connection method</legend>
            <RadioGroupRoot
              className="radio-list"
              aria-labelledby={`${id}-method`}
              value={connector.connectionMethod}
              disabled={readOnly}
              onValueChange={(value) => setMethod(value as 'per_user' | 'shared')}
            >
              <div className="radio-option">
                <RadioGroup.Item value="per_user" id={`${id}-per-user`} className="radio">
                  <RadioGroup.Indicator className="radio-dot" />
                </RadioGroup.Item>
                <label htmlFor={`${id}-per-user`} className="radio-text">
                  <span>Each user connects their own account</span>
                  <span className="muted">
                    Recommended: the agent sees and does what each person can in Salesforce.
                  </span>
                </label>
              </div>
              <div className="radio-option">
                <RadioGroup.Item value="shared" id={`${id}-shared`} className="radio">
                  <RadioGroup.Indicator className="radio-dot" />
                </RadioGroup.Item>
                <label htmlFor={`${id}-shared`} className="radio-text">
                  <span>Use a shared Salesforce connection</span>
                  <span className="muted">Everyone acts as one organization connection's user.</span>
                </label>
              </div>
            </RadioGroupRoot>
          </fieldset>
          {connector.connectionMethod === 'shared' ? (
            <div className="shared-connection">
              <p>
                {shared ? (
                  <>
                    <strong>{shared.name}</strong>{' '}
                    <span className="muted">({shared.salesforce.username})</span>
                  </>
                ) : (
                  <span className="field-error">Choose an organization connection.</span>
                )}
              </p>
              {!readOnly ? (
                <button type="button" className="button" onClick={() => setChanging(true)}>
                  Change
                </button>
              ) : null}
            </div>
          ) : null}
          <ToolPermissions
            permissions={connector.permissions}
            readOnly={readOnly}
            onChange={(tool, level) =>
              onChange({ ...connector, permissions: { ...connector.permissions, [tool]: level } })
            }
          />
        </section>
      )}
      <AddConnectorDialog
        open={adding}
        onOpenChange={setAdding}
        onAdd={() => onChange({ connectionMethod: 'per_user', permissions: { ...DEFAULT_PERMISSIONS } })}
      />
      <ChangeConnectionDialog
        open={changing}
        onOpenChange={setChanging}
        connections={organization}
        selectedId={connector.sharedConnectionId}
        onSelect={(connectionId) => onChange({ ...connector, sharedConnectionId: connectionId })}
        onShare={(connection) => {
          setChanging(false);
          setSharing(connection);
        }}
        returnTo={returnTo}
      />
      {sharing ? (
        <ShareDialog
          connection={sharing}
          open={sharing !== null}
          onOpenChange={(open) => {
            if (!open) setSharing(null);
          }}
        />
      ) : null}
    </section>
  );
}
