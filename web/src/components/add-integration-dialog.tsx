import { Cloud } from 'lucide-react';
import { RadioGroup } from 'radix-ui';
import { type FormEvent, useId, useState } from 'react';
import { startSalesforceConnection } from '../lib/connections.ts';
import { Modal } from './modal.tsx';
import { ErrorBanner } from './status.tsx';

type LoginHost = 'production' | 'sandbox' | 'custom';

const MY_DOMAIN_SUFFIXES = ['.my.salesforce.com', '.my.salesforce.mil', '.my.sfcrmproducts.cn'];

/** The same rule the service applies (it checks again): https, a My Domain host, nothing else. */
export function myDomainProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return 'Enter a URL, like https://acme.my.salesforce.com.';
  }
  if (url.protocol !== 'https:') return 'The My Domain URL must start with https://.';
  if (
    url.username ||
    url.password ||
    url.port ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search
  ) {
    return 'Enter just the host, with no path or port, like https://acme.my.salesforce.com.';
  }
  const host = url.hostname.toLowerCase();
  if (!MY_DOMAIN_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length)) {
    return `${host} is not a Salesforce My Domain host (they end in .my.salesforce.com).`;
  }
  return undefined;
}

/**
 * + Add integration → Salesforce → where to log in → Connect, which leaves for Salesforce's own
 * login and consent pages; the callback brings the browser back to `returnTo`.
 */
export function AddIntegrationDialog({
  open,
  onOpenChange,
  isAdmin,
  returnTo,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  isAdmin: boolean;
  returnTo: string;
}) {
  const [step, setStep] = useState<'choose' | 'salesforce'>('choose');
  const [kind, setKind] = useState<'personal' | 'organization'>('personal');
  const [loginHost, setLoginHost] = useState<LoginHost>('production');
  const [myDomainUrl, setMyDomainUrl] = useState('');
  const [name, setName] = useState('');
  const [domainError, setDomainError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const domainId = useId();
  const nameId = useId();

  function reset(next: boolean) {
    if (!next) {
      setStep('choose');
      setError(undefined);
      setDomainError(undefined);
      setBusy(false);
    }
    onOpenChange(next);
  }

  async function connect(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    if (loginHost === 'custom') {
      const problem = myDomainProblem(myDomainUrl);
      setDomainError(problem);
      if (problem) {
        document.getElementById(domainId)?.focus();
        return;
      }
    }
    setBusy(true);
    try {
      await startSalesforceConnection({
        kind,
        loginHost,
        returnTo,
        ...(loginHost === 'custom' ? { myDomainUrl: myDomainUrl.trim() } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
      });
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }

  return (
    <Modal
      open={open}
      onOpenChange={reset}
      title={step === 'choose' ? 'Add integration' : 'Connect Salesforce'}
      description={
        step === 'choose'
          ? 'Choose what to connect.'
          : 'You will log in to Salesforce and allow Forcefield access; then you come back here.'
      }
    >
      {step === 'choose' ? (
        <ul className="app-choices">
          <li>
            <button type="button" className="app-choice" onClick={() => setStep('salesforce')}>
              <Cloud aria-hidden className="app-choice-icon" />
              <span>
                <span className="app-choice-name">Salesforce</span>
                <span className="muted"> Send meeting items and let agents read and write CRM records.</span>
              </span>
            </button>
          </li>
        </ul>
      ) : (
        <form className="stack" onSubmit={connect} noValidate>
          {error ? <ErrorBanner title="Salesforce could not be reached" error={error} /> : null}
          {isAdmin ? (
            <fieldset className="choice-group">
              <legend>Who uses this connection</legend>
              <RadioGroup.Root
                className="radio-list"
                value={kind}
                onValueChange={(value) => setKind(value as 'personal' | 'organization')}
              >
                <RadioOption
                  value="personal"
                  label="Just me"
                  hint="A personal integration, acting as your Salesforce user."
                />
                <RadioOption
                  value="organization"
                  label="The organization"
                  hint="A service account you share with people or groups. Log in as that account."
                />
              </RadioGroup.Root>
            </fieldset>
          ) : null}
          <fieldset className="choice-group">
            <legend>Login host</legend>
            <RadioGroup.Root
              className="radio-list"
              value={loginHost}
              onValueChange={(value) => {
                setLoginHost(value as LoginHost);
                setDomainError(undefined);
              }}
            >
              <RadioOption value="production" label="Production" hint="login.salesforce.com" />
              <RadioOption value="sandbox" label="Sandbox" hint="test.salesforce.com" />
              <RadioOption value="custom" label="My Domain" hint="Your company's own Salesforce login URL." />
            </RadioGroup.Root>
          </fieldset>
          {loginHost === 'custom' ? (
            <div className="field">
              <label htmlFor={domainId}>My Domain URL</label>
              <input
                id={domainId}
                type="url"
                inputMode="url"
                placeholder="https://acme.my.salesforce.com"
                value={myDomainUrl}
                aria-invalid={domainError ? true : undefined}
                aria-describedby={domainError ? `${domainId}-error` : undefined}
                onChange={(event) => setMyDomainUrl(event.target.value)}
                onBlur={() => myDomainUrl && setDomainError(myDomainProblem(myDomainUrl))}
              />
              {domainError ? (
                <p className="field-error" id={`${domainId}-error`}>
                  {domainError}
                </p>
              ) : null}
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={nameId}>Name (optional)</label>
            <input
              id={nameId}
              type="text"
              maxLength={100}
              placeholder="e.g. Acme production"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          </div>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setStep('choose')}>
              Back
            </button>
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Opening Salesforce…' : 'Connect'}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}

function RadioOption({ value, label, hint }: { value: string; label: string; hint: string }) {
  const id = useId();
  return (
    <div className="radio-option">
      <RadioGroup.Item value={value} id={id} className="radio" aria-describedby={`${id}-hint`}>
        <RadioGroup.Indicator className="radio-dot" />
      </RadioGroup.Item>
      <span className="radio-text">
        <label htmlFor={id}>{label}</label>
        <span id={`${id}-hint`} className="muted radio-hint">
          {hint}
        </span>
      </span>
    </div>
  );
}
