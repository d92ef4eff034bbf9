import { Cloud } from 'lucide-react';
import { useState } from 'react';
import { errorMessage } from '../../lib/api.ts';
import { startSalesforceConnection } from '../../lib/connections.ts';

/** The agent needs the person's own Salesforce login: connect, come back here, and the turn continues. */
export function ConnectCard({ conversationId, message }: { conversationId: string; message: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section className="card connect-card" aria-label="Connect Salesforce">
      <div className="connection-head">
        <Cloud aria-hidden className="connection-icon" />
        <p>{message}</p>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="card-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            startSalesforceConnection({
              kind: 'personal',
              loginHost: 'production',
              returnTo: `/chat/${encodeURIComponent(conversationId)}`,
            }).catch((failure) => {
              setBusy(false);
              setError(errorMessage(failure));
            });
          }}
        >
          Connect Salesforce
        </button>
      </div>
    </section>
  );
}
