// My queue: my next actions (overdue first) and my SLA clocks worst first (breached, then
// at risk: leads routed to me and inquiries waiting for me), from GET /api/v1/queue, the
// signed-in user's own; then what I logged from this device. Records are shown by name
// (the contact and their company, the deal and its account), the id beside them.
import { useState } from 'preact/hooks';
import type { User } from '../api';
import type { Entry } from '../outbox';
import { type Named, useNames } from '../names';
import { Link, Load, useApi, when } from '../ui';

interface NextAction {
  id: string;
  action: string;
  contact_id: string;
  due: string | null;
  overdue: boolean;
  owner: string;
  opportunity_id: string;
  case_id: string;
}

interface Clock {
  id: string;
  kind: string;
  division: string;
  owner: string;
  started: string;
  due: string;
  stopped: string | null;
  state: string;
}

interface QueueAnswer {
  at: string;
  next_actions: NextAction[];
  sla: Clock[];
}

const SHOWN = 50; // rows shown before "Show all"

function href(id: string): string | null {
  if (id.startsWith('A-')) return `/accounts/${encodeURIComponent(id)}`;
  if (id.startsWith('C-')) return `/contacts/${encodeURIComponent(id)}`;
  return null;
}

// A record by its name (a link where the page has a view of it), the id beside it, and its
// account's name below. Both lines are there from the start and cut to the cell's width, so
// names arriving after the list never move anything on the screen.
function Who(props: { id: string; n?: Named }) {
  const { id, n } = props;
  const to = href(id);
  const name = n ? n.name : id;
  return (
    <>
      <span class="line">
        {to ? <Link href={to}>{name}</Link> : <span>{name}</span>} <span class="muted small">{n ? id : ''}</span>
      </span>
      <span class="line small">
        {n?.account_name && n.account_id ? (
          <Link href={`/accounts/${encodeURIComponent(n.account_id)}`} class="company">
            {n.account_name}
          </Link>
        ) : (
          '\u00a0'
        )}
      </span>
    </>
  );
}

function More(props: { total: number; all: boolean; onAll: () => void }) {
  if (props.all || props.total <= SHOWN) return null;
  return (
    <button type="button" class="linkish" onClick={props.onAll}>
      Show all {props.total}
    </button>
  );
}

function Actions(props: { list: NextAction[] }) {
  const [all, setAll] = useState(false);
  const list = all ? props.list : props.list.slice(0, SHOWN);
  const names = useNames(list.map((x) => x.contact_id).filter(Boolean));
  if (list.length === 0) return <p class="muted">Nothing to do next. Well done.</p>;
  return (
    <>
      <div class="scroll" tabIndex={0} role="region" aria-label="My next actions">
        <table class="queue todo">
          <thead>
            <tr>
              <th scope="col">Due</th>
              <th scope="col">Action</th>
              <th scope="col">Contact</th>
              <th scope="col">For</th>
            </tr>
          </thead>
          <tbody>
            {list.map((x) => (
              <tr class={x.overdue ? 'overdue' : ''}>
                <td>
                  <span class="line">{when(x.due)}</span>
                  <span class="line small">{x.overdue ? 'overdue' : '\u00a0'}</span>
                </td>
                <td title={x.action}>{x.action}</td>
                <td>{x.contact_id ? <Who id={x.contact_id} n={names[x.contact_id]} /> : ''}</td>
                <td class="small">{x.opportunity_id || x.case_id}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <More total={props.list.length} all={all} onAll={() => setAll(true)} />
    </>
  );
}

function Clocks(props: { list: Clock[] }) {
  const [all, setAll] = useState(false);
  const list = all ? props.list : props.list.slice(0, SHOWN);
  const names = useNames(list.map((c) => c.id));
  if (list.length === 0) return <p class="muted">No clocks breached or at risk.</p>;
  return (
    <>
      <div class="scroll" tabIndex={0} role="region" aria-label="My SLA clocks">
        <table class="queue clocks">
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Record</th>
              <th scope="col">Kind</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
          <tbody>
            {list.map((c) => (
              <tr class={c.state}>
                <td>{c.state}</td>
                <td>
                  <Who id={c.id} n={names[c.id]} />
                </td>
                <td>{c.kind}</td>
                <td>{when(c.due)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <More total={props.list.length} all={all} onAll={() => setAll(true)} />
    </>
  );
}

export function Queue(props: { user: User; entries: Entry[] }) {
  const path = '/api/v1/queue';
  const r = useApi<QueueAnswer>(path);
  return (
    <section>
      <h1>My queue</h1>
      <p class="muted">
        {props.user.name || props.user.login} · {props.user.role}
        {props.user.division ? ` · ${props.user.division}` : ''}. Press <kbd>n</kbd> to log a call.
      </p>
      {/* Everything below comes with the one answer, so nothing already shown moves. */}
      <Load r={r} what="your queue" path={path}>
        {(d) => (
          <>
            <h2>My next actions</h2>
            <Actions list={d.next_actions} />
            <h2>My SLA clocks, worst first</h2>
            <Clocks list={d.sla} />
          </>
        )}
      </Load>
      {(r.data || r.error) && (
        <>
          <h2>Logged from this device</h2>
          {props.entries.length === 0 ? (
            <p class="muted">Nothing yet in this visit.</p>
          ) : (
            <ul class="entries">
              {props.entries.map((e) => (
                <li class={'entry ' + e.state}>
                  {when(e.draft.date)} · {e.draft.contact_name}
                  {e.draft.account_name ? ` · ${e.draft.account_name}` : ''} · {e.draft.channel} · {e.state}
                  {e.id ? ` (${e.id})` : ''}
                  {e.reason && e.state !== 'saved' ? ` — ${e.reason}` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
