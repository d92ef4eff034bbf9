import { ShieldQuestion } from 'lucide-react';
import { useId, useState } from 'react';
import type { ApprovalRequest, DecidedApproval as Decided } from '../../lib/chat-types.ts';
import { formatDateTime } from '../../lib/format.ts';
import { toolName } from '../../lib/tool-names.ts';

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The fields the call would write, beside today's values when the server read them (update, delete). */
function FieldDiff({ approval }: { approval: ApprovalRequest }) {
  const input = (approval.input ?? {}) as { fields?: Record<string, unknown> };
  const proposed = input.fields ?? {};
  const current = approval.currentValues;
  const isDelete = approval.tool === 'delete_record';
  const names = isDelete ? Object.keys(current ?? {}) : Object.keys(proposed);
  if (names.length === 0) return null;
  return (
    <table className="table diff-table">
      <caption className="visually-hidden">Fields this call would change</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          {current || isDelete ? <th scope="col">Current value</th> : null}
          <th scope="col">{isDelete ? 'After' : 'New value'}</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => {
          const changed = !current || show(current[name]) !== show(proposed[name]);
          return (
            <tr key={name} className={changed ? 'diff-changed' : undefined}>
              <th scope="row">{name}</th>
              {current || isDelete ? <td>{show(current?.[name])}</td> : null}
              <td>{isDelete ? 'deleted' : show(proposed[name])}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * A "Needs approval" call: what would happen, field by field, and Approve / Reject (with an
 * optional reason). Only the person chatting sees this card (the server refuses anyone else).
 */
export function ApprovalCard({
  approval,
  instanceUrl,
  busy,
  onDecide,
}: {
  approval: ApprovalRequest;
  instanceUrl: string | undefined;
  busy: boolean;
  onDecide: (decision: 'approve' | 'reject', reason: string) => void;
}) {
  const id = useId();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const recordLink =
    approval.recordId && approval.objectType && instanceUrl
      ? `${instanceUrl}/lightning/r/${encodeURIComponent(approval.objectType)}/${encodeURIComponent(approval.recordId)}/view`
      : null;
  return (
    <section className="card approval-card" aria-labelledby={`${id}-title`}>
      <div className="connection-head">
        <ShieldQuestion aria-hidden className="connection-icon" />
        <h3 id={`${id}-title`}>
          Approve {toolName(approval.tool).toLowerCase()}
          {approval.objectType ? ` on ${approval.objectType}` : ''}?
        </h3>
      </div>
      <dl className="facts">
        <div>
          <dt>Tool</dt>
          <dd>{toolName(approval.tool)}</dd>
        </div>
        {approval.objectType ? (
          <div>
            <dt>Object</dt>
            <dd>{approval.objectType}</dd>
          </div>
        ) : null}
        {approval.recordId ? (
          <div>
            <dt>Record</dt>
            <dd>
              {recordLink ? (
                <a href={recordLink} target="_blank" rel="noreferrer">
                  {approval.recordId}
                </a>
              ) : (
                approval.recordId
              )}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Decide before</dt>
          <dd>{formatDateTime(approval.expiresAt)}</dd>
        </div>
      </dl>
      {approval.recordChanged ? (
        <p className="banner banner-info" role="note">
          The record changed after you saw it, so nothing was written. These are its values now: decide again.
        </p>
      ) : null}
      {approval.currentValuesUnavailable ? (
        <p className="muted">{approval.currentValuesUnavailable}</p>
      ) : null}
      <FieldDiff approval={approval} />
      {rejecting ? (
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason (optional, the agent reads it)</label>
          <textarea
            id={`${id}-reason`}
            rows={2}
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
      ) : null}
      <div className="card-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => onDecide('approve', '')}
        >
          Approve
        </button>
        <button
          type="button"
          className="button button-danger-outline"
          disabled={busy}
          onClick={() => (rejecting ? onDecide('reject', reason.trim()) : setRejecting(true))}
        >
          Reject
        </button>
        {rejecting ? (
          <button type="button" className="button button-ghost" onClick={() => setRejecting(false)}>
            Cancel
          </button>
        ) : null}
      </div>
    </section>
  );
}

/** A decided approval, as every later view shows it: who decided and when, never pending again. */
export function DecidedApproval({ decided }: { decided: Decided }) {
  const approved = decided.status === 'approved';
  const what = `${toolName(decided.tool)}${decided.objectType ? ` on ${decided.objectType}` : ''}`;
  const who = decided.decidedBy?.name ?? 'someone';
  const when = decided.decidedAt ? (
    <>
      {' on '}
      <time dateTime={decided.decidedAt}>{formatDateTime(decided.decidedAt)}</time>
    </>
  ) : null;
  const changed = decided.code === 'record_changed';
  return (
    <p className={`decided ${approved && !changed ? 'check-ok' : 'check-bad'}`} role="note">
      {what}:{' '}
      {decided.status === 'expired' ? (
        <>expired, nobody decided in time{when}</>
      ) : (
        <>
          {approved ? 'approved' : 'rejected'} by {who}
          {when}
        </>
      )}
      {changed ? '. The record had changed meanwhile, so nothing was written; asked again.' : null}
    </p>
  );
}
