// Review and Steward: each reads the API route that answers the command line's document of
// the same name (docs/api.md), and says in one sentence where a part has no route yet (the
// page asks only for routes the server has). Admin is in admin.tsx.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, qs, request } from '../api';
import { listIn } from './accounts';
import { Load, RecordLink, useApi } from '../ui';

function isoWeek(d = new Date()): string {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const y = t.getUTCFullYear();
  const w = Math.ceil(((t.getTime() - Date.UTC(y, 0, 1)) / 86400000 + 1) / 7);
  return `${y}-W${String(w).padStart(2, '0')}`;
}

export function Review() {
  const [week, setWeek] = useState(isoWeek());
  const html = '/api/v1/review' + qs({ week, format: 'html' });
  const r = useApi<string>(html);
  return (
    <section>
      <h1>Review</h1>
      <label for="rv-week">Week</label>
      <input id="rv-week" value={week} pattern="\d{4}-W\d{2}" onChange={(e) => setWeek((e.target as HTMLInputElement).value)} />
      <p>
        Download the weekly pack: <a href={html} download={`review-${week}.html`}>HTML</a> ·{' '}
        <a href={'/api/v1/review' + qs({ week, format: 'xlsx' })} download={`review-${week}.xlsx`}>
          Excel (xlsx)
        </a>
      </p>
      <Load r={r} what="weekly reviews" path={html}>
        {(d) => <iframe class="pack" title={`Weekly review ${week}`} srcdoc={String(d)} sandbox="" />}
      </Load>
    </section>
  );
}

interface Cluster {
  ids: string[];
  score: number;
  why: string;
}

interface MergeAnswer {
  id: string;
  kind: string;
  survivor: string;
  merged: string[];
  moved_records: number;
  reason: string;
  at: string;
  undone_at: string | null;
}

type Kind = 'accounts' | 'contacts';

// What a merge keeps (src/service/merge_service.cc): the survivor keeps its name and its values; each of these
// fields that is empty on it is filled from the others, in order.
const FILLED: Record<Kind, string[]> = {
  accounts: ['industry', 'owner', 'address', 'city', 'phone', 'email', 'status', 'erp_customer_id'],
  contacts: ['job_title', 'account_id', 'email', 'phone'],
};
const SHOWN_FIELDS: Record<Kind, string[]> = {
  accounts: ['name', 'divisions', ...FILLED.accounts],
  contacts: ['full_name', 'account_name', ...FILLED.contacts],
};

function survivorOf(kind: Kind, survivor: any, others: any[]): any {
  const out = { ...survivor };
  for (const o of others) for (const f of FILLED[kind]) if (!out[f] && o[f]) out[f] = o[f];
  if (kind === 'accounts') out.contacts = [survivor, ...others].flatMap((r) => r.contacts || []); // all move to it
  if (kind === 'contacts' && out.account_id !== survivor.account_id) {
    out.account_name = others.find((o) => o.account_id === out.account_id)?.account_name || '';
  }
  return out;
}

function Facts(props: { kind: Kind; r: any; title: string }) {
  const { r } = props;
  return (
    <dl class="facts small">
      <dt>{props.title}</dt>
      <dd>
        <RecordLink id={r.id} />
        {r.merged_into ? ` (merged into ${r.merged_into})` : ''}
      </dd>
      {SHOWN_FIELDS[props.kind].map((f) => (
        <>
          <dt>{f.replace(/_/g, ' ')}</dt>
          <dd>{r[f] || '—'}</dd>
        </>
      ))}
      {props.kind === 'accounts' && (
        <>
          <dt>contacts</dt>
          <dd>{(r.contacts || []).length}</dd>
        </>
      )}
    </dl>
  );
}

function MergeCluster(props: { c: Cluster; kind: Kind; onUndone: () => void }) {
  const ids = props.c.ids;
  const [survivor, setSurvivor] = useState(ids[0]);
  const [reason, setReason] = useState('');
  const [records, setRecords] = useState<Record<string, any> | null>(null);
  const [problem, setProblem] = useState('');
  const [merged, setMerged] = useState<MergeAnswer | null>(null);
  const [result, setResult] = useState('');
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    Promise.all(ids.map((id) => get<any>(`/api/v1/${props.kind}/${encodeURIComponent(id)}`))).then(
      (rs) => live && setRecords(Object.fromEntries(rs.map((r) => [r.id, r]))),
      (e: ApiError) => live && setProblem('Could not read the records: ' + e.message),
    );
    return () => {
      live = false;
    };
  }, [ids.join(), n]);
  async function merge() {
    setResult('');
    try {
      const r = await request<MergeAnswer>('POST', '/api/v1/merges', {
        kind: props.kind,
        survivor,
        others: ids.filter((x) => x !== survivor),
        reason: reason.trim(),
      });
      setMerged(r.data);
      setResult(`Merged ${r.data.merged.join(', ')} into ${r.data.survivor} (${r.data.id}, ${r.data.moved_records} records moved).`);
      setN((x) => x + 1);
    } catch (e) {
      setResult('Not merged: ' + (e as ApiError).message);
    }
  }
  async function undo() {
    if (!merged) return;
    try {
      await request('POST', `/api/v1/merges/${encodeURIComponent(merged.id)}/undo`, { reason: 'undone from the Steward screen: ' + merged.reason });
      setResult(`Merge ${merged.id} undone: ${[merged.survivor, ...merged.merged].join(' and ')} exist again.`);
      setMerged(null);
      setN((x) => x + 1);
      props.onUndone();
    } catch (e) {
      setResult('Not undone: ' + (e as ApiError).message);
    }
  }
  const name = 'surv-' + ids.join('-');
  const recs = records && ids.every((id) => records[id]) ? ids.map((id) => records[id]) : null;
  return (
    <li class="cluster" data-ids={ids.join(' ')}>
      <p>
        <strong>{Math.round(props.c.score * 100)}%</strong> · {props.c.why}
      </p>
      {problem && <p class="error">{problem}</p>}
      {recs && (
        <div class="side">
          {recs.map((r) => (
            <div>
              <Facts kind={props.kind} r={r} title={r.id === survivor ? 'Survivor' : 'Merged away'} />
            </div>
          ))}
          {!merged && (
            <div class="survives" aria-label="What survives the merge">
              <Facts kind={props.kind} r={survivorOf(props.kind, records![survivor], recs.filter((r) => r.id !== survivor))} title="After the merge" />
            </div>
          )}
        </div>
      )}
      {!merged && (
        <>
          <fieldset>
            <legend>Keep which record? It keeps its values and fills its empty fields from the others.</legend>
            {ids.map((id) => (
              <label class="inline">
                <input type="radio" name={name} checked={survivor === id} onChange={() => setSurvivor(id)} /> {id}
              </label>
            ))}
          </fieldset>
          <label for={'why-' + name}>Reason</label>
          <input id={'why-' + name} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
          <div class="actions">
            <button type="button" disabled={!reason.trim()} onClick={() => void merge()}>
              Merge into {survivor}
            </button>
          </div>
        </>
      )}
      {merged && (
        <div class="actions">
          <button type="button" onClick={() => void undo()}>
            Undo merge {merged.id}
          </button>
        </div>
      )}
      {result && <p role="status">{result}</p>}
    </li>
  );
}

function Clusters(props: { title: string; list: Cluster[]; kind: Kind; onUndone: () => void }) {
  return (
    <>
      <h3>
        {props.title} ({props.list.length})
      </h3>
      <ul class="clusters">
        {props.list.slice(0, 20).map((c) => (
          <MergeCluster key={c.ids.join()} c={c} kind={props.kind} onUndone={props.onUndone} />
        ))}
      </ul>
    </>
  );
}

export function Steward() {
  const path = '/api/v1/duplicates';
  const r = useApi<{ accounts: Cluster[]; contacts: Cluster[] }>(path);
  const links = '/api/v1/links';
  const l = useApi<any>(links);
  // Clusters stay on the screen after a merge (with its undo); an undo reads them again.
  return (
    <section>
      <h1>Steward</h1>
      <h2>Probable duplicates</h2>
      <Load r={r} what="duplicate clusters" path={path}>
        {(d) => (
          <>
            <Clusters title="Accounts" list={d.accounts || []} kind="accounts" onUndone={r.reload} />
            <Clusters title="Contacts" list={d.contacts || []} kind="contacts" onUndone={r.reload} />
          </>
        )}
      </Load>
      <h2>ERP link proposals</h2>
      <Load r={l} what="ERP link proposals" path={links}>
        {(d) => <Table items={listIn(d)} />}
      </Load>
      <h2>Accounts missing an ERP id</h2>
      <p class="muted small">
        Counted in the weekly review's data quality section; the API does not list them yet.
      </p>
    </section>
  );
}

// A plain table of whatever fields the answer's records carry.
function Table(props: { items: any[] }) {
  if (!props.items.length) return <p class="muted">None.</p>;
  const fields = Object.keys(props.items[0]).filter((f) => typeof props.items[0][f] !== 'object' || props.items[0][f] === null);
  return (
    <div class="scroll" tabIndex={0}>
      <table>
        <thead>
          <tr>
            {fields.map((f) => (
              <th scope="col">{f.replace(/_/g, ' ')}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.items.slice(0, 200).map((x) => (
            <tr>
              {fields.map((f) => (
                <td>{String(x[f] ?? '')}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
