import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type User, type UserPage } from '../api';
import { ErrorText, Notice } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { Pager } from '../components/Pager';
import { count, counted } from '../format';
import { href } from '../router';

const kPageSize = 25;
const kSearchDelayMs = 300;

type SortKey = 'email' | 'first_name' | 'last_name' | 'department' | 'location';
const kColumns: [SortKey, string][] = [
  ['email', 'Email'],
  ['first_name', 'First name'],
  ['last_name', 'Last name'],
  ['department', 'Department'],
  ['location', 'Location'],
];

/** User management > Users: the organization's users, searchable, sortable and paged. */
export function UsersPage({ canEdit }: { canEdit: boolean }) {
  const [searchText, setSearchText] = useState('');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<SortKey>('email');
  const [order, setOrder] = useState<'asc' | 'desc'>('asc');
  const [offset, setOffset] = useState(0);
  // The page on screen, with the offset it was loaded for (the pager describes what is shown).
  const [page, setPage] = useState<(UserPage & { offset: number }) | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState('');
  const [reload, setReload] = useState(0);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [message, setMessage] = useState('');
  const latest = useRef(0);

  // Debounced search: the list asks the server once the admin pauses typing.
  useEffect(() => {
    const next = searchText.trim();
    if (next === search) return; // nothing new to ask (also on the first render)
    const timer = setTimeout(() => {
      setSearch(next);
      setOffset(0);
    }, kSearchDelayMs);
    return () => clearTimeout(timer);
  }, [searchText, search]);

  useEffect(() => {
    const request = ++latest.current;
    setLoading(true);
    api.users({ search, sort, order, limit: kPageSize, offset }).then(
      (result) => {
        if (request !== latest.current) return; // an older answer arriving late
        if (result.users.length === 0 && offset > 0) {
          // The last user of the last page was deleted: show the page before.
          setOffset(Math.max(0, offset - kPageSize));
          return;
        }
        setPage({ ...result, offset });
        setError('');
        setLoading(false);
      },
      (e) => {
        if (request !== latest.current) return;
        setError(e instanceof ApiError ? e.message : 'The user list could not be loaded.');
        setLoading(false);
      },
    );
  }, [search, sort, order, offset, reload]);

  const sortBy = (key: SortKey) => {
    if (key === sort) {
      setOrder(order === 'asc' ? 'desc' : 'asc');
    } else {
      setSort(key);
      setOrder('asc');
    }
    setOffset(0);
  };

  const onDeleted = (user: User, withAccount: boolean) => {
    setDeleting(null);
    setMessage(
      `${user.email} was deleted` +
        (withAccount ? ', together with the linked e-learning account.' : '.'),
    );
    setReload(reload + 1);
  };

  return (
    <section class="users-page">
      <div class="page-head">
        <h1 tabIndex={-1}>Users</h1>
        {canEdit && (
          <a class="button primary" href={href('import')} data-testid="import-button">
            Import user data
          </a>
        )}
      </div>

      <div class="toolbar">
        <div class="field search-field">
          <label for="user-search">Search users</label>
          <input
            id="user-search"
            type="search"
            placeholder="Name, email, department…"
            value={searchText}
            onInput={(e) => setSearchText(e.currentTarget.value)}
          />
        </div>
        <p class="total" aria-live="polite" data-testid="user-total">
          {page ? totalText(page.total, search) : ''}
        </p>
      </div>

      {message && <Notice>{message}</Notice>}
      <ErrorText>{error}</ErrorText>

      <div class="table-wrap" aria-busy={loading}>
        <table class="table users-table">
          <caption class="visually-hidden">
            Users, sorted by {kColumns.find(([key]) => key === sort)?.[1]},{' '}
            {order === 'asc' ? 'ascending' : 'descending'}
          </caption>
          <thead>
            <tr>
              {kColumns.map(([key, label]) => (
                <th
                  key={key}
                  scope="col"
                  aria-sort={sort === key ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button type="button" class="sort-button" onClick={() => sortBy(key)}>
                    {label}
                    <span class="sort-mark" aria-hidden="true">
                      {sort === key ? (order === 'asc' ? '▲' : '▼') : '↕'}
                    </span>
                  </button>
                </th>
              ))}
              <th scope="col">E-learning</th>
              {canEdit && (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {page?.users.map((user) => (
              <tr key={user.id} data-email={user.email}>
                <td class="email-cell">{user.email}</td>
                <td>{user.first_name}</td>
                <td>{user.last_name}</td>
                <td>{user.department}</td>
                <td>{user.location}</td>
                <td data-testid="elearning">
                  {user.elearning_account_id !== null ? (
                    <span class="badge linked">Linked (account {user.elearning_account_id})</span>
                  ) : (
                    <span class="muted">Not linked</span>
                  )}
                </td>
                {canEdit && (
                  <td>
                    <button
                      type="button"
                      class="button danger-outline small"
                      onClick={() => {
                        setMessage('');
                        setDeleting(user);
                      }}
                      aria-label={`Delete ${user.email}`}
                    >
                      Delete
                    </button>
                  </td>
                )}
              </tr>
            ))}
            {page && page.users.length === 0 && (
              <tr>
                <td colSpan={canEdit ? 7 : 6} class="empty">
                  {search ? `No user matches “${search}”.` : 'There are no users yet.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      {page && (
        <Pager
          label="Users"
          offset={page.offset}
          limit={kPageSize}
          total={page.total}
          onChange={setOffset}
        />
      )}

      {deleting && (
        <DeleteUserDialog
          user={deleting}
          onCancel={() => setDeleting(null)}
          onDeleted={onDeleted}
        />
      )}
    </section>
  );
}

function totalText(total: number, search: string): string {
  if (search) return `${counted(total, 'user')} found`;
  return `${count(total)} ${total === 1 ? 'user' : 'users'} in total`;
}

interface DeleteProps {
  user: User;
  onCancel: () => void;
  onDeleted: (user: User, withAccount: boolean) => void;
}

function DeleteUserDialog({ user, onCancel, onDeleted }: DeleteProps) {
  const linked = user.elearning_account_id !== null;
  const [withAccount, setWithAccount] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const confirm = async () => {
    setBusy(true);
    setError('');
    try {
      await api.deleteUser(user.id, linked && withAccount);
      onDeleted(user, linked && withAccount);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The user could not be deleted.');
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Delete this user?"
      onClose={onCancel}
      actions={
        <>
          <button type="button" class="button secondary" onClick={onCancel} data-autofocus>
            Cancel
          </button>
          <button type="button" class="button danger" onClick={confirm} disabled={busy}>
            {busy ? 'Deleting…' : 'Delete user'}
          </button>
        </>
      }
    >
      <p>
        <strong>{user.email}</strong>
        {user.first_name || user.last_name ? ` (${user.first_name} ${user.last_name})` : ''} will
        be removed from the user list. This cannot be undone.
      </p>
      {linked && (
        <>
          <label class="check">
            <input
              type="checkbox"
              checked={withAccount}
              onChange={(e) => setWithAccount(e.currentTarget.checked)}
            />
            <span>Also delete the linked e-learning account</span>
          </label>
          <p class="hint">
            With it, the learning progress and certificates are deleted too. Without it, the
            e-learning account stays, unlinked, with its learning history.
          </p>
        </>
      )}
      <ErrorText>{error}</ErrorText>
    </Dialog>
  );
}
