import type { Role, Session } from '../api';
import { href } from '../router';

interface Props {
  session: Session;
  page: string;
  onLogout: () => void;
}

const kRoleNames: Record<Role, string> = { owner: 'Owner', admin: 'Admin', viewer: 'Viewer' };

export function Header({ session, page, onLogout }: Props) {
  const links: [string, string][] = [
    ['users', 'Users'],
    ['templates', 'Templates'],
    ['audit', 'Audit log'],
  ];
  const current = page === 'import' ? 'users' : page;
  return (
    <header class="header">
      <div class="header-top">
        <div class="brand">
          <span class="brand-name">Roster</span>
          <span class="org-name" data-testid="org-name">
            {session.organization.name}
          </span>
        </div>
        <div class="who">
          <span class="who-email" data-testid="admin-email">
            {session.admin.email}
          </span>
          <span class="role-badge">{kRoleNames[session.admin.role]}</span>
          <button type="button" class="button secondary small" onClick={onLogout}>
            Log out
          </button>
        </div>
      </div>
      <nav class="nav" aria-label="User management">
        <span class="nav-section" aria-hidden="true">
          User management
        </span>
        <ul>
          {links.map(([path, label]) => (
            <li key={path}>
              <a href={href(path)} aria-current={current === path ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
