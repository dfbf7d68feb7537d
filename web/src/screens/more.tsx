// Review, Steward, Feedback, Strategy and Admin: each reads the route that answers the
// command line's document of the same name, and says so plainly while the server lacks it.
import { useState } from 'preact/hooks';
import { ApiError, qs, request } from '../api';
import { listIn } from './accounts';
import { Load, Problem, RecordLink, useApi } from '../ui';

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

function Side(props: { id: string }) {
  const path = `/api/v1/accounts/${encodeURIComponent(props.id)}`;
  const r = useApi<any>(path);
  return (
    <Load r={r} what="the record" path={path}>
      {(a) => (
        <dl class="facts small">
          <dt>Id</dt>
          <dd>
            <RecordLink id={a.id} />
          </dd>
          {['name', 'owner', 'divisions', 'city', 'phone', 'email', 'erp_customer_id'].map((f) => (
            <>
              <dt>{f.replace(/_/g, ' ')}</dt>
              <dd>{a[f] || '—'}</dd>
            </>
          ))}
          <dt>contacts</dt>
          <dd>{(a.contacts || []).length}</dd>
        </dl>
      )}
    </Load>
  );
}

function MergeCluster(props: { c: Cluster; kind: string; onDone: () => void }) {
  const [survivor, setSurvivor] = useState(props.c.ids[0]);
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<{ id?: string; message: string } | null>(null);
  async function merge() {
    try {
      const r = await request<any>('POST', '/api/v1/merges', {
        kind: props.kind,
        survivor,
        others: props.c.ids.filter((x) => x !== survivor),
        reason,
      });
      setResult({ id: r.data.id || r.data.merge_id, message: `Merged into ${survivor}.` });
    } catch (e) {
      setResult({ message: 'Not merged: ' + (e as ApiError).message });
    }
  }
  async function undo() {
    if (!result?.id) return;
    try {
      await request('POST', `/api/v1/merges/${encodeURIComponent(result.id)}/undo`, { reason: reason || 'undone from the steward screen' });
      setResult({ message: `Merge ${result.id} undone.` });
      props.onDone();
    } catch (e) {
      setResult({ ...result, message: 'Not undone: ' + (e as ApiError).message });
    }
  }
  return (
    <li class="cluster">
      <p>
        <strong>{Math.round(props.c.score * 100)}%</strong> · {props.c.why}
      </p>
      {props.kind === 'accounts' && (
        <div class="side">
          {props.c.ids.map((id) => (
            <div>
              <Side id={id} />
            </div>
          ))}
        </div>
      )}
      <fieldset>
        <legend>Keep which record? (the survivor keeps its values and fills its empty fields from the others)</legend>
        {props.c.ids.map((id) => (
          <label class="inline">
            <input type="radio" name={'surv-' + props.c.ids.join()} checked={survivor === id} onChange={() => setSurvivor(id)} /> {id}
          </label>
        ))}
      </fieldset>
      <label for={'why-' + props.c.ids.join()}>Reason</label>
      <input id={'why-' + props.c.ids.join()} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      <button type="button" disabled={!reason.trim()} onClick={() => void merge()}>
        Merge
      </button>
      {result?.id && (
        <button type="button" onClick={() => void undo()}>
          Undo merge
        </button>
      )}
      {result && <p role="status">{result.message}</p>}
    </li>
  );
}

export function Steward() {
  const path = '/api/v1/duplicates';
  const r = useApi<{ accounts: Cluster[]; contacts: Cluster[] }>(path);
  const links = '/api/v1/links';
  const l = useApi<any>(links);
  return (
    <section>
      <h1>Steward</h1>
      <h2>Probable duplicates</h2>
      <Load r={r} what="duplicate clusters" path={path}>
        {(d) => (
          <>
            <h3>Accounts ({d.accounts.length})</h3>
            <ul class="clusters">
              {d.accounts.slice(0, 20).map((c) => (
                <MergeCluster c={c} kind="accounts" onDone={r.reload} />
              ))}
            </ul>
            <h3>Contacts ({(d.contacts || []).length})</h3>
            <ul class="clusters">
              {(d.contacts || []).slice(0, 20).map((c) => (
                <MergeCluster c={c} kind="contacts" onDone={r.reload} />
              ))}
            </ul>
          </>
        )}
      </Load>
      <h2>ERP link proposals</h2>
      <Load r={l} what="ERP link proposals" path={links}>
        {(d) => <Table items={listIn(d)} />}
      </Load>
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

function Simple(props: { title: string; parts: [string, string][] }) {
  return (
    <section>
      <h1>{props.title}</h1>
      {props.parts.map(([what, path]) => (
        <Part what={what} path={path} />
      ))}
    </section>
  );
}

function Part(props: { what: string; path: string }) {
  const r = useApi<any>(props.path);
  return (
    <>
      <h2>{props.what[0].toUpperCase() + props.what.slice(1)}</h2>
      <Load r={r} what={props.what} path={props.path}>
        {(d) => <Table items={listIn(d)} />}
      </Load>
    </>
  );
}

export function Feedback() {
  return (
    <Simple
      title="Feedback"
      parts={[
        ['touchpoints ranked', '/api/v1/touchpoints'],
        ['emotion curves', '/api/v1/feedback/curve'],
        ['survey links', '/api/v1/surveys'],
      ]}
    />
  );
}

export function Strategy() {
  return (
    <Simple
      title="Strategy"
      parts={[
        ['key results', '/api/v1/strategy'],
        ['the seven steps', '/api/v1/cem'],
      ]}
    />
  );
}

export function Admin() {
  const [file, setFile] = useState<File | null>(null);
  const [answer, setAnswer] = useState<any>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  async function upload(dry: boolean) {
    if (!file) return;
    setProblem(null);
    setAnswer(null);
    try {
      const r = await request('POST', '/api/v1/workbook/import' + qs({ dry_run: dry ? 'true' : '' }), file, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      });
      setAnswer(r.data);
    } catch (e) {
      setProblem(e as ApiError);
      setAnswer((e as ApiError).body);
    }
  }
  const errors: any[] = answer ? answer.errors || (answer.fields ? Object.entries(answer.fields).map(([k, v]) => ({ where: k, problem: v })) : []) : [];
  return (
    <section>
      <h1>Admin</h1>
      <Part what="users and roles" path="/api/v1/users" />
      <Part what="KPI targets" path="/api/v1/targets" />
      <h2>Workbook import</h2>
      <label for="wb-file">Workbook (.xlsx)</label>
      <input id="wb-file" type="file" accept=".xlsx" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] || null)} />
      <button type="button" disabled={!file} onClick={() => void upload(true)}>
        Preview (nothing is written)
      </button>
      <button type="button" disabled={!file} onClick={() => void upload(false)}>
        Import
      </button>
      {problem && <Problem error={problem} what="workbook imports" path="/api/v1/workbook/import" />}
      {errors.length > 0 && (
        <div class="scroll" role="alert">
          <table>
            <thead>
              <tr>
                <th scope="col">Sheet</th>
                <th scope="col">Row</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((x) => (
                <tr>
                  <td>{x.sheet || x.where || ''}</td>
                  <td>{x.row ?? ''}</td>
                  <td>{x.column ?? ''}</td>
                  <td>{x.message || x.problem || JSON.stringify(x)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {answer && !problem && <pre class="small">{JSON.stringify(answer, null, 2)}</pre>}
      <h2>Export</h2>
      <p>
        <a href="/api/v1/workbook/export" download="hub.xlsx">
          Download the hub as a workbook (.xlsx)
        </a>
      </p>
    </section>
  );
}
