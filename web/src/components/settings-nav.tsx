import { NavLink } from 'react-router';
import { useUser } from '../lib/session.tsx';

/** Settings' tabs: Integrations for everyone, Models for admins. */
export function SettingsNav() {
  const user = useUser();
  const links = [
    { to: '/settings/integrations', label: 'Integrations' },
    ...(user.role === 'admin' ? [{ to: '/settings/models', label: 'Models' }] : []),
  ];
  return (
    <nav aria-label="Settings" className="subnav">
      {links.map((link) => (
        <NavLink
          key={link.to}
          to={link.to}
          className={({ isActive }) => `subnav-link${isActive ? ' active' : ''}`}
        >
          {link.label}
        </NavLink>
      ))}
    </nav>
  );
}
