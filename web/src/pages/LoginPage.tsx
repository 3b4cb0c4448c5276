import { useState } from 'preact/hooks';
import { api, ApiError, type Session } from '../api';
import { ErrorText, Notice } from '../components/Alert';

interface Props {
  onLogin: (session: Session) => void;
  /** Why the visitor is here: "You have logged out.", "Your session has ended." */
  notice: string;
}

export function LoginPage({ onLogin, notice }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      onLogin(await api.login(email.trim(), password));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Signing in failed. Please try again.');
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login" id="main">
      <form class="login-card" onSubmit={submit} aria-describedby={error ? 'login-error' : undefined}>
        <p class="brand-name">Roster</p>
        <h1 tabIndex={-1}>Sign in</h1>
        {notice && <Notice>{notice}</Notice>}
        <div class="field">
          <label for="login-email">Email</label>
          <input
            id="login-email"
            type="email"
            name="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="login-password">Password</label>
          <input
            id="login-password"
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <ErrorText id="login-error">{error}</ErrorText>
        <button type="submit" class="button primary wide" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
