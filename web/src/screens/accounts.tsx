// Accounts: search (typos forgiven) and the account 360 view: the account, its contacts and
// full interaction history (with what was just logged, shown at once), its owner, its
// opportunities and cases, its ERP orders and its customers' feedback (page by page), and
// the owner history and audit.
import { useEffect, useState } from 'preact/hooks';
import { type Match, qs } from '../api';
import type { Entry } from '../outbox';
import { go, Link, Load, money, Problem, RecordLink, useApi, when } from '../ui';

export function Accounts(props: { q: string }) {
  const [q, setQ] = useState(props.q);
  const [typed, setTyped] = useState(props.q);
  useEffect(() => {
    setQ(props.q);
    setTyped(props.q);
  }, [props.q]);
  useEffect(() => {
    const t = setTimeout(() => setQ(typed.trim()), 150);
    return () => clearTimeout(t);
  }, [typed]);
  const path = q ? '/api/v1/search' + qs({ q, limit: 30 }) : null;
  const r = useApi<{ results: Match[] }>(path);
  return (
    <section>
      <h1>Accounts</h1>
      <label for="acc-q">Find an account or contact</label>
      <input
        id="acc-q"
        type="search"
        placeholder="name, company, phone or email — typos are fine"
        value={typed}
        onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') history.replaceState(null, '', '/accounts' + qs({ q: typed.trim() }));
        }}
      />
      {path ? (
        <Load r={r} what="search results" path={path}>
          {(d) =>
            d.results.length === 0 ? (
              <p class="muted">Nothing matches “{q}”.</p>
            ) : (
              <ul class="results">
                {d.results.map((m) => (
                  <li>
                    <span class="kind">{m.kind}</span>{' '}
                    <Link href={m.kind === 'account' ? `/accounts/${m.id}` : `/contacts/${m.id}`}>{m.name}</Link>
                    {m.account_name && <span class="company"> · {m.account_name}</span>} <span class="muted small">{m.id}</span>
                  </li>
                ))}
              </ul>
            )
          }
        </Load>
      ) : (
        <p class="muted">Type to search. Press <kbd>n</kbd> anywhere to log a call, <kbd>/</kbd> to search.</p>
      )}
    </section>
  );
}

interface Interaction {
  id: string;
  date: string;
  channel: string;
  contact_id: string;
  notes: string;
  logged_by: string;
  next_action: string;
  next_action_due: string | null;
  next_action_done: boolean;
  division: string;
  type: string;
}

interface Contact {
  id: string;
  full_name: string;
  job_title: string;
  phone: string;
  email: string;
  account_id: string;
}

// What was just logged for these contacts and is not yet in the answer, newest first.
function pendingFor(entries: Entry[], contacts: Set<string>, shown: Set<string>): Interaction[] {
  return entries
    .filter((e) => contacts.has(e.draft.contact_id) && e.state !== 'failed' && !(e.id && shown.has(e.id)))
    .map((e) => ({
      id: e.id || '(' + (e.state === 'saved' ? 'saved' : e.state === 'saving' ? 'saving…' : 'waiting') + ')',
      date: e.draft.date,
      channel: e.draft.channel,
      contact_id: e.draft.contact_id,
      notes: e.draft.notes,
      logged_by: 'you',
      next_action: e.draft.next_action,
      next_action_due: e.draft.due || null,
      next_action_done: false,
      division: '',
      type: '',
    }));
}

function History(props: { list: Interaction[]; names: Record<string, string> }) {
  if (!props.list.length) return <p class="muted">No interactions yet.</p>;
  return (
    <ol class="history">
      {props.list.map((i) => (
        <li>
          <div>
            <strong>{when(i.date)}</strong> · {i.channel} · {props.names[i.contact_id] || i.contact_id} · by {i.logged_by}{' '}
            <span class="muted small">{i.id}</span>
          </div>
          {i.notes && <div class="notes">{i.notes}</div>}
          {i.next_action && (
            <div class="small">
              Next: {i.next_action}
              {i.next_action_due ? ` (due ${when(i.next_action_due)})` : ''}
              {i.next_action_done ? ' ✓ done' : ''}
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}

function Optional(props: { title: string; path: string; render: (d: any) => any }) {
  const r = useApi(props.path);
  return (
    <section>
      <h2>{props.title}</h2>
      <Load r={r} what={props.title.toLowerCase()} path={props.path}>
        {props.render}
      </Load>
    </section>
  );
}

function ListOf(props: { items: any[]; fields: string[]; empty?: string }) {
  if (!props.items || !props.items.length) return <p class="muted">{props.empty || 'None.'}</p>;
  return (
    <div class="scroll" tabIndex={0}>
      <table>
        <thead>
          <tr>
            {props.fields.map((f) => (
              <th scope="col">{f.replace(/_/g, ' ')}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.items.map((x) => (
            <tr>
              {props.fields.map((f) => (
                <td>{x[f] !== null && typeof x[f] === 'object' ? JSON.stringify(x[f]) : String(x[f] ?? '')}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const PAGE = 20; // rows a paged list asks for at a time

// A list route read a page at a time (`limit`, `cursor` → `next_cursor`), newest first:
// "Show more" adds the next page below what is shown.
function Paged(props: { title: string; what: string; path: string; fields: string[]; empty: string; show: (x: any) => any }) {
  const [before, setBefore] = useState<any[]>([]); // the rows of the pages shown already
  const [cursor, setCursor] = useState('');
  const page = props.path + qs({ limit: PAGE, cursor });
  const r = useApi<{ items: any[]; next_cursor: string | null }>(page);
  const shown = r.data ? [...before, ...listIn(r.data)] : before;
  return (
    <section>
      <h2>{props.title}</h2>
      {r.error ? (
        <Problem error={r.error} what={props.what} path={page} />
      ) : r.data === undefined && !before.length ? (
        <p class="muted" role="status">
          Loading {props.what}…
        </p>
      ) : (
        <>
          <ListOf items={shown.map(props.show)} fields={props.fields} empty={props.empty} />
          {r.data === undefined ? (
            <p class="muted small" role="status">
              Loading more {props.what}…
            </p>
          ) : (
            r.data.next_cursor && (
              <div class="actions">
                <button
                  type="button"
                  onClick={() => {
                    setBefore(shown);
                    setCursor(r.data!.next_cursor!);
                  }}
                >
                  Show more {props.what} ({shown.length} shown)
                </button>
              </div>
            )
          )}
        </>
      )}
    </section>
  );
}

// The first array found in an answer ({"opportunities": […]} or a bare list).
export function listIn(d: any): any[] {
  if (Array.isArray(d)) return d;
  for (const v of Object.values(d || {})) if (Array.isArray(v)) return v;
  return [];
}

export function AccountView(props: { id: string; entries: Entry[] }) {
  const path = `/api/v1/accounts/${encodeURIComponent(props.id)}`;
  const r = useApi<any>(path);
  const id = encodeURIComponent(props.id);
  return (
    <Load r={r} what="the account" path={path}>
      {(a) => {
        const contacts: Contact[] = a.contacts || [];
        const names: Record<string, string> = {};
        for (const c of contacts) names[c.id] = c.full_name;
        const shown = new Set<string>((a.interactions || []).map((i: Interaction) => i.id));
        const history = [...pendingFor(props.entries, new Set(Object.keys(names)), shown), ...(a.interactions || [])];
        return (
          <article class="account">
            <h1>
              {a.name} <span class="muted small">{a.id}</span>
            </h1>
            <dl class="facts">
              <dt>Owner</dt>
              <dd>{a.owner || '—'}</dd>
              <dt>Divisions</dt>
              <dd>{a.divisions || '—'}</dd>
              <dt>Type</dt>
              <dd>{a.type || '—'}</dd>
              <dt>Industry</dt>
              <dd>{a.industry || '—'}</dd>
              <dt>City</dt>
              <dd>{a.city || '—'}</dd>
              <dt>Phone</dt>
              <dd>{a.phone || '—'}</dd>
              <dt>Email</dt>
              <dd>{a.email || '—'}</dd>
              <dt>ERP id</dt>
              <dd>{a.erp_customer_id || 'not linked'}</dd>
              <dt>Status</dt>
              <dd>{a.status || '—'}</dd>
            </dl>
            <section>
              <h2>Contacts</h2>
              <ul class="contacts">
                {contacts.map((c) => (
                  <li>
                    <Link href={`/contacts/${c.id}`}>{c.full_name}</Link> {c.job_title && <span class="muted">{c.job_title}</span>}{' '}
                    {c.phone && <a href={`tel:${c.phone.replace(/\s/g, '')}`}>{c.phone}</a>} {c.email && <a href={`mailto:${c.email}`}>{c.email}</a>}
                  </li>
                ))}
              </ul>
            </section>
            <section>
              <h2>Interactions</h2>
              <History list={history} names={names} />
            </section>
            <Optional title="Opportunities" path={`/api/v1/opportunities?account_id=${id}&limit=100`} render={(d) => <ListOf items={listIn(d)} fields={['id', 'title', 'division', 'stage', 'outcome', 'owner', 'amount']} />} />
            <Optional title="Cases" path={`/api/v1/cases?account_id=${id}&limit=100`} render={(d) => <ListOf items={listIn(d)} fields={['id', 'division', 'kind', 'opened', 'closed', 'owner', 'summary']} />} />
            <Paged
              key={'o' + id}
              title="Orders"
              what="ERP orders"
              path={`/api/v1/accounts/${id}/orders`}
              empty={a.erp_customer_id ? 'No orders from the ERP yet.' : 'Not linked to an ERP customer: no orders.'}
              fields={['id', 'date', 'division', 'amount']}
              show={(o) => ({ ...o, date: when(o.date), amount: money(o.amount, o.currency) })}
            />
            <Paged
              key={'f' + id}
              title="Feedback"
              what="feedback"
              path={`/api/v1/accounts/${id}/feedback`}
              empty="No feedback from this account's customers yet."
              fields={['date', 'kind', 'score', 'contact', 'division', 'stage', 'touchpoint', 'comment']}
              show={(f) => ({ ...f, date: when(f.date), contact: names[f.contact_id] || f.contact_id || '', touchpoint: f.touchpoint || '' })}
            />
            <Optional title="Owner history and audit" path={`/api/v1/audit?entity_id=${id}&limit=100`} render={(d) => <ListOf items={listIn(d)} fields={['at', 'actor', 'action', 'field', 'before', 'after', 'reason']} />} />
          </article>
        );
      }}
    </Load>
  );
}

export function ContactView(props: { id: string; entries: Entry[] }) {
  const path = `/api/v1/contacts/${encodeURIComponent(props.id)}`;
  const r = useApi<any>(path);
  return (
    <Load r={r} what="the contact" path={path}>
      {(c) => {
        const shown = new Set<string>((c.interactions || []).map((i: Interaction) => i.id));
        const history = [...pendingFor(props.entries, new Set([c.id]), shown), ...(c.interactions || [])];
        return (
          <article>
            <h1>
              {c.full_name} <span class="muted small">{c.id}</span>
            </h1>
            <p>
              {c.job_title}
              {c.account_id && (
                <>
                  {' at '}
                  <a href={`/accounts/${c.account_id}`} onClick={(e) => (e.preventDefault(), go(`/accounts/${c.account_id}`))}>
                    {c.account_name || c.account_id}
                  </a>
                </>
              )}
            </p>
            <p>
              {c.phone && <a href={`tel:${c.phone.replace(/\s/g, '')}`}>{c.phone}</a>} {c.email && <a href={`mailto:${c.email}`}>{c.email}</a>}
            </p>
            <h2>Interactions</h2>
            <History list={history} names={{ [c.id]: c.full_name }} />
          </article>
        );
      }}
    </Load>
  );
}

export { RecordLink };
