import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type AuditEvent } from '../api';
import { ErrorText } from '../components/Alert';
import { count, dateTime, fileSize } from '../format';

const kPageSize = 50;

/** The organization's audit events, newest first. Details are counts: never addresses. */
export function AuditPage() {
  const [offset, setOffset] = useState(0);
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    api.audit(offset, kPageSize).then(
      (result) => {
        setEvents(result.events);
        setError('');
      },
      (e) => setError(e instanceof ApiError ? e.message : 'The audit log could not be loaded.'),
    );
  }, [offset]);

  return (
    <section>
      <h1 tabIndex={-1}>Audit log</h1>
      <p class="lead">
        What was changed, by whom and when. Deleted users appear only as counts: the log never
        keeps their addresses.
      </p>
      <ErrorText>{error}</ErrorText>
      <div class="table-wrap">
        <table class="table audit-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events?.map((event) => (
              <tr key={event.id}>
                <td class="nowrap">{dateTime(event.at)}</td>
                <td>{event.actor}</td>
                <td>{actionName(event.action)}</td>
                <td>
                  <Details event={event} />
                </td>
              </tr>
            ))}
            {events && events.length === 0 && (
              <tr>
                <td colSpan={4} class="empty">
                  {offset === 0 ? 'Nothing has been recorded yet.' : 'No older events.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {events && (offset > 0 || events.length === kPageSize) && (
        <nav class="pager" aria-label="Audit log pages">
          <button
            type="button"
            class="button secondary"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - kPageSize))}
          >
            Newer
          </button>
          <button
            type="button"
            class="button secondary"
            disabled={events.length < kPageSize}
            onClick={() => setOffset(offset + kPageSize)}
          >
            Older
          </button>
        </nav>
      )}
    </section>
  );
}

function actionName(action: string): string {
  const text = action.replace(/[._]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The counts of an event ("planned: 3"), its yes/no choices and mode, and the file name where
 * there is one. Other text (digests, salts) is left out: it tells an admin nothing, and the
 * log must never show personal data.
 */
function Details({ event }: { event: AuditEvent }) {
  const items: [string, string][] = [];
  for (const [key, value] of Object.entries(event.details ?? {})) {
    const label = key.replace(/_/g, ' ');
    if (key === 'file_size' && typeof value === 'number') items.push(['file size', fileSize(value)]);
    else if (typeof value === 'number') items.push([label, count(value)]);
    else if (typeof value === 'boolean') items.push([label, value ? 'yes' : 'no']);
    else if ((key === 'file_name' || key === 'mode') && typeof value === 'string') {
      items.push([key === 'file_name' ? 'file' : label, value]);
    }
  }
  if (typeof event.address_hash_count === 'number' && event.address_hash_count > 0) {
    items.push(['address hashes kept', count(event.address_hash_count)]);
  }
  if (items.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="detail-list">
      {items.map(([key, value]) => (
        <li key={key}>
          <span class="muted">{key}:</span> {value}
        </li>
      ))}
    </ul>
  );
}
