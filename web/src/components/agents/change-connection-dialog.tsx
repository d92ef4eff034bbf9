import { Plug, Share2 } from 'lucide-react';
import { RadioGroup } from 'radix-ui';
import { useId, useState } from 'react';
import { startSalesforceConnection } from '../../lib/connections.ts';
import type { Connection } from '../../lib/types.ts';
import { Modal } from '../modal.tsx';
import { RadioGroupRoot } from '../radio-group.tsx';
import { ErrorBanner } from '../status.tsx';

/**
 * Picks the organization connection a shared connector uses; Share opens the Integrations share
 * dialog for it, and an admin can connect a new one (the flow comes back to this agent).
 */
export function ChangeConnectionDialog({
  open,
  onOpenChange,
  connections,
  selectedId,
  onSelect,
  onShare,
  returnTo,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  connections: Connection[];
  selectedId: string | undefined;
  onSelect: (connectionId: string) => void;
  onShare: (connection: Connection) => void;
  returnTo: string;
}) {
  const id = useId();
  const [connectError, setConnectError] = useState<unknown>(null);
  const selected = connections.find((connection) => connection.id === selectedId);
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title="Shared Salesforce connection"
      description="Everyone who chats with this agent acts as this connection's Salesforce user. Only people it is shared with can chat."
    >
      <div className="stack">
        {connectError ? <ErrorBanner title="Could not start connecting" error={connectError} /> : null}
        {connections.length === 0 ? (
          <p className="muted">
            No organization connection yet. Connect one with a Salesforce service account.
          </p>
        ) : (
          <RadioGroupRoot
            className="radio-list"
            aria-label="Organization connections"
            value={selectedId ?? ''}
            onValueChange={onSelect}
          >
            {connections.map((connection) => (
              <div key={connection.id} className="radio-option">
                <RadioGroup.Item value={connection.id} id={`${id}-${connection.id}`} className="radio">
                  <RadioGroup.Indicator className="radio-dot" />
                </RadioGroup.Item>
                <label htmlFor={`${id}-${connection.id}`} className="radio-text">
                  <span>{connection.name}</span>
                  <span className="muted">
                    {connection.salesforce.username} ·{' '}
                    {connection.shares?.team
                      ? 'shared with the team'
                      : `shared with ${connection.shares?.users.length ?? 0} people, ${connection.shares?.groups.length ?? 0} groups`}
                  </span>
                </label>
              </div>
            ))}
          </RadioGroupRoot>
        )}
        <div className="dialog-actions">
          <button
            type="button"
            className="button"
            onClick={() =>
              startSalesforceConnection({ kind: 'organization', loginHost: 'production', returnTo }).catch(
                setConnectError,
              )
            }
          >
            <Plug aria-hidden size={16} />
            Connect a new one
          </button>
          <button
            type="button"
            className="button"
            disabled={!selected}
            onClick={() => selected && onShare(selected)}
          >
            <Share2 aria-hidden size={16} />
            Share
          </button>
          <button type="button" className="button button-primary" onClick={() => onOpenChange(false)}>
            Done
          </button>
        </div>
      </div>
    </Modal>
  );
}
