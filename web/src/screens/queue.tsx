// My queue: my next actions (overdue first), my SLA clocks worst first, and what I just
// logged. The lists come from /api/v1/next-actions and /api/v1/sla (the command line's
// `next-actions --json` and `sla --json`), asked for the signed-in user.
import { qs, type User } from '../api';
import type { Entry } from '../outbox';
import { Load, RecordLink, useApi, when } from '../ui';

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

const RANK: Record<string, number> = { breached: 0, 'at-risk': 1, at_risk: 1, running: 2, met: 3 };

export function Queue(props: { user: User; entries: Entry[] }) {
  const na = `/api/v1/next-actions${qs({ owner: props.user.login })}`;
  const sla = `/api/v1/sla${qs({ owner: props.user.login })}`;
  // Asked for mine; a server without the owner filter answers everyone's, filtered here.
  const actions = useApi<{ next_actions: NextAction[] }>(na, '/api/v1/next-actions');
  const clocks = useApi<{ at: string; items: Clock[] }>(sla, '/api/v1/sla');
  const mine = (owner: string, unfiltered?: boolean) =>
    !unfiltered || owner === props.user.name || owner === props.user.login;
  return (
    <section>
      <h1>My queue</h1>
      <p class="muted">
        {props.user.name || props.user.login} · {props.user.role}
        {props.user.division ? ` · ${props.user.division}` : ''}. Press <kbd>n</kbd> to log a call.
      </p>
      <h2>My next actions</h2>
      <Load r={actions} what="next actions" path={na}>
        {(d) => {
          const list = d.next_actions.filter((x) => mine(x.owner, actions.unfiltered)).sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.due || '').localeCompare(b.due || ''));
          return list.length === 0 ? (
            <p class="muted">Nothing to do next. Well done.</p>
          ) : (
            <div class="scroll" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Due</th>
                    <th scope="col">Action</th>
                    <th scope="col">Contact</th>
                    <th scope="col">From</th>
                  </tr>
                </thead>
                <tbody>
                  {list.slice(0, 200).map((x) => (
                    <tr class={x.overdue ? 'overdue' : ''}>
                      <td>
                        {when(x.due)}
                        {x.overdue ? ' (overdue)' : ''}
                      </td>
                      <td>{x.action}</td>
                      <td>
                        <RecordLink id={x.contact_id} />
                      </td>
                      <td>{x.opportunity_id || x.case_id || x.id}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Load>
      <h2>My SLA clocks, worst first</h2>
      <Load r={clocks} what="SLA clocks" path={sla}>
        {(d) => {
          const list = d.items.filter((c) => mine(c.owner, clocks.unfiltered)).sort((a, b) => (RANK[a.state] ?? 9) - (RANK[b.state] ?? 9) || a.due.localeCompare(b.due));
          return list.length === 0 ? (
            <p class="muted">No clocks breached or at risk.</p>
          ) : (
            <div class="scroll" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">State</th>
                    <th scope="col">Record</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Due</th>
                    <th scope="col">Owner</th>
                  </tr>
                </thead>
                <tbody>
                  {list.slice(0, 200).map((c) => (
                    <tr class={c.state}>
                      <td>{c.state}</td>
                      <td>
                        <RecordLink id={c.id} />
                      </td>
                      <td>{c.kind}</td>
                      <td>{when(c.due)}</td>
                      <td>{c.owner}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Load>
      <h2>Logged from this device</h2>
      {props.entries.length === 0 ? (
        <p class="muted">Nothing yet in this visit.</p>
      ) : (
        <ul class="entries">
          {props.entries.map((e) => (
            <li class={'entry ' + e.state}>
              {when(e.draft.date)} · {e.draft.contact_name} · {e.draft.channel} · {e.state}
              {e.id ? ` (${e.id})` : ''}
              {e.reason && e.state !== 'saved' ? ` — ${e.reason}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
