import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ErrorBanner } from '../components/status.tsx';
import { api, setCsrfToken } from '../lib/api.ts';
import { safeNext, useMeQuery } from '../lib/session.tsx';
import type { User } from '../lib/types.ts';

interface DemoLogin {
  email: string;
  password: string;
  name: string;
  role: string;
}

/** Demo mode: the service puts the demo logins in a meta tag of index.html. */
function readDemoLogins(): DemoLogin[] {
  const content = document.querySelector('meta[name="forcefield-demo-logins"]')?.getAttribute('content');
  if (!content) return [];
  try {
    const parsed: unknown = JSON.parse(content);
    return Array.isArray(parsed) ? (parsed as DemoLogin[]) : [];
  } catch {
    return [];
  }
}

export function LoginPage() {
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get('next'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMeQuery();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const demoLogins = useMemo(readDemoLogins, []);
  // Said once when every demo login has the same password, not on each line.
  const sharedPassword =
    demoLogins.length > 0 && demoLogins.every((login) => login.password === demoLogins[0]?.password)
      ? demoLogins[0]?.password
      : undefined;

  if (me.data) return <Navigate to={next} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api<{ user: User; csrfToken: string }>('/auth/login', {
        method: 'POST',
        body: { email, password },
      });
      setCsrfToken(answer.csrfToken);
      queryClient.clear();
      queryClient.setQueryData(['me'], { user: answer.user, method: 'session', csrfToken: answer.csrfToken });
      navigate(next, { replace: true });
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  }

  return (
    <main className="login-screen">
      <div className="login-card">
        <div className="brand login-brand">
          <span className="brand-mark" aria-hidden>
            F
          </span>
          Forcefield
        </div>
        <h1>Log in</h1>
        <p className="muted">Send meeting insights to Salesforce, safely.</p>
        {error ? <ErrorBanner error={error} /> : null}
        <form onSubmit={submit} className="stack">
          <div className="field">
            <label htmlFor="login-email">Email</label>
            <input
              id="login-email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="login-password">Password</label>
            <input
              id="login-password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Logging in…' : 'Log in'}
          </button>
        </form>
        {demoLogins.length > 0 ? (
          <section className="demo-logins" aria-labelledby="demo-logins-title">
            <h2 id="demo-logins-title">Demo mode</h2>
            <p className="muted">
              Salesforce is the built-in demo org. Choose a login to fill in the form
              {sharedPassword ? (
                <>
                  {' '}
                  (password <code>{sharedPassword}</code>)
                </>
              ) : null}
              :
            </p>
            <ul>
              {demoLogins.map((login) => (
                <li key={login.email}>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      setEmail(login.email);
                      setPassword(login.password);
                    }}
                  >
                    <span className="visually-hidden">Use </span>
                    {login.email}
                  </button>{' '}
                  <span className="muted">({login.role})</span>
                  {sharedPassword ? null : (
                    <>
                      {' '}
                      · password <code>{login.password}</code>
                    </>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </main>
  );
}
