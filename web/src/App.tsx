import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken, setUnauthenticatedHandler, type Session } from './api';
import { Header } from './components/Header';
import { LoginPage } from './pages/LoginPage';
import { UsersPage } from './pages/UsersPage';
import { TemplatesPage } from './pages/TemplatesPage';
import { AuditPage } from './pages/AuditPage';
import { ImportWizard } from './wizard/ImportWizard';
import { href, useRoute } from './router';

/** The session decides everything: a visitor without one sees only the login. */
export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [signedOutReason, setSignedOutReason] = useState('');
  const route = useRoute();

  const signIn = (next: Session) => {
    setCsrfToken(next.csrf_token);
    setSignedOutReason('');
    setSession(next);
  };

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken('');
      setSession(null);
      setSignedOutReason('Your session has ended. Please sign in again.');
    });
    api.session().then(signIn, () => setSession(null));
    return () => setUnauthenticatedHandler(null);
  }, []);

  // A new page moves the focus to its heading, so keyboard and screen-reader users start there.
  const page = route[0] ?? 'users';
  useEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [page, session === null]);

  if (session === undefined) {
    return (
      <div class="loading" role="status">
        Loading…
      </div>
    );
  }
  if (session === null) return <LoginPage onLogin={signIn} notice={signedOutReason} />;

  const logout = async () => {
    try {
      await api.logout();
    } finally {
      setCsrfToken('');
      setSession(null);
      setSignedOutReason('You have logged out.');
    }
  };

  const canImport = session.admin.role !== 'viewer';
  let content;
  switch (page) {
    case 'users':
      content = <UsersPage canEdit={canImport} />;
      break;
    case 'import':
      content = canImport ? (
        <ImportWizard jobId={route[1] ? Number(route[1]) : null} />
      ) : (
        <Forbidden />
      );
      break;
    case 'templates':
      content = <TemplatesPage />;
      break;
    case 'audit':
      content = <AuditPage />;
      break;
    default:
      content = <NotFound />;
  }

  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <Header session={session} page={page} onLogout={logout} />
      <main id="main" class="main" tabIndex={-1}>
        {content}
      </main>
    </div>
  );
}

function skipToMain(event: MouseEvent) {
  // The hash is the router's, so move the focus without changing it.
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function Forbidden() {
  return (
    <section>
      <h1 tabIndex={-1}>Import user data</h1>
      <p class="notice">
        Your role (viewer) can look at the user list but cannot import or delete users. Ask an
        owner or admin of your organization if you need to.
      </p>
      <p>
        <a href={href('users')}>Back to the user list</a>
      </p>
    </section>
  );
}

function NotFound() {
  return (
    <section>
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        <a href={href('users')}>Go to the user list</a>
      </p>
    </section>
  );
}
