import { useQueryClient } from '@tanstack/react-query';
import {
  Bot,
  CalendarDays,
  LogOut,
  Menu,
  MessagesSquare,
  ScrollText,
  Settings,
  Users,
  X,
} from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, setCsrfToken } from '../lib/api.ts';
import { useUser } from '../lib/session.tsx';
import { useToast } from './toaster.tsx';

/** The left sidebar and the page; on a phone the sidebar folds behind a menu button. */
export function AppShell() {
  const user = useUser();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);

  // The open phone menu covers the page: Escape folds it and gives the focus back to its button.
  useEffect(() => {
    if (!menuOpen) return;
    document.querySelector<HTMLElement>('#sidebar .nav-link')?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setMenuOpen(false);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [menuOpen]);
  const [searchParams, setSearchParams] = useSearchParams();

  // A connect flow started elsewhere (e.g. from a meeting) comes back here with ?connected=;
  // Settings → Integrations shows its own banner, other pages a toast.
  const connected = searchParams.get('connected');
  useEffect(() => {
    if (!connected || location.pathname.startsWith('/settings/integrations')) return;
    toast({ title: 'Salesforce connected', description: 'You can send items now.', tone: 'success' });
    void queryClient.invalidateQueries({ queryKey: ['connections'] });
    setSearchParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete('connected');
        return next;
      },
      { replace: true },
    );
  }, [connected, location.pathname, toast, queryClient, setSearchParams]);

  // A page change closes the phone menu and moves focus to the new page, as a page load would.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation on purpose
  useEffect(() => {
    setMenuOpen(false);
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);

  async function logOut() {
    try {
      await api('/auth/logout', { method: 'POST' });
    } catch (error) {
      toast({ title: 'Could not log out cleanly', description: String(error), tone: 'error' });
    }
    setCsrfToken(null);
    queryClient.clear();
    queryClient.setQueryData(['me'], null);
    navigate('/login', { replace: true });
  }

  const links = [
    { to: '/meetings', label: 'Meetings', icon: CalendarDays },
    { to: '/chat', label: 'Chat', icon: MessagesSquare },
    { to: '/agents', label: 'Agents', icon: Bot },
    { to: '/settings/integrations', label: 'Settings', icon: Settings, match: '/settings' },
    ...(user.role === 'admin'
      ? [
          { to: '/audit', label: 'Audit', icon: ScrollText },
          { to: '/people', label: 'People', icon: Users },
        ]
      : []),
  ];

  return (
    <div className={`shell${menuOpen ? ' menu-open' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          ref={menuButton}
          type="button"
          className="icon-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {menuOpen ? <X aria-hidden /> : <Menu aria-hidden />}
          <span className="visually-hidden">{menuOpen ? 'Close menu' : 'Open menu'}</span>
        </button>
        <span className="brand">Forcefield</span>
      </header>
      <aside id="sidebar" className="sidebar">
        <div className="brand sidebar-brand">
          <span className="brand-mark" aria-hidden>
            F
          </span>
          Forcefield
        </div>
        <nav aria-label="Main">
          <ul className="nav-list">
            {links.map(({ to, label, icon: Icon, match }) => (
              <li key={to}>
                <NavLink
                  to={to}
                  className={({ isActive }) =>
                    `nav-link${isActive || (match && location.pathname.startsWith(match)) ? ' active' : ''}`
                  }
                >
                  <Icon aria-hidden size={18} />
                  {label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          <div className="who">
            <span className="who-name">{user.name}</span>
            <span className="who-email">{user.email}</span>
          </div>
          <button type="button" className="button button-ghost sidebar-logout" onClick={logOut}>
            <LogOut aria-hidden size={16} />
            Log out
          </button>
        </div>
      </aside>
      {menuOpen ? (
        <button
          type="button"
          className="scrim"
          tabIndex={-1}
          aria-hidden
          onClick={() => setMenuOpen(false)}
        />
      ) : null}
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
