// Strategy: the one-page customer strategy (docs/strategy.md) with its key results read live
// from the KPIs, its versions, the printable downloads, and for managers and admins an editor
// that saves a new version only over the version it started from (If-Match: a stale save is
// refused with 412 and says so); then the seven steps (steps.tsx).
import { useState } from 'preact/hooks';
import { ApiError, qs, request, type User } from '../api';
import { kpiValue, Load, Problem, useApi, when } from '../ui';
import { mayChange, reason, Steps } from './steps';

interface Horizons {
  year1: string;
  year3: string;
  year5: string;
}

interface KeyResult {
  title: string;
  kpi: string;
  division: string;
  target: number | null;
  direction: string | null;
  due: string;
  kpi_name?: string;
  unit?: string;
  value?: number | null;
  met?: boolean | null;
  note?: string | null;
}

interface StrategyDoc {
  mission: string;
  vision: string;
  ambition: string;
  communication: string;
  notes: string;
  key_objectives: { growth: Horizons; new_markets: Horizons; new_customers: Horizons };
  objectives: (Horizons & { title: string })[];
  key_results: KeyResult[];
  version?: number;
  saved_at?: string;
  saved_by?: string;
  period?: { from: string; to: string };
}


const STRATEGY = '/api/v1/strategy';
const DIRECTION: Record<string, string> = { at_least: '≥', at_most: '≤', above: '>', below: '<' };
const KEY_OBJECTIVES: [keyof StrategyDoc['key_objectives'], string][] = [
  ['growth', 'Expected growth'],
  ['new_markets', 'New markets'],
  ['new_customers', 'New customers'],
];
const YEARS: [keyof Horizons, string][] = [
  ['year1', '1 year'],
  ['year3', '3 years'],
  ['year5', '5 years'],
];


// The hub has no strategy yet (404 on the strategy itself, not a missing route).
const none = (e: unknown) => e instanceof ApiError && e.status === 404 && !e.missingRoute;

const blank = (): Horizons => ({ year1: '', year3: '', year5: '' });
const EMPTY: StrategyDoc = {
  mission: '',
  vision: '',
  ambition: '',
  communication: '',
  notes: '',
  key_objectives: { growth: blank(), new_markets: blank(), new_customers: blank() },
  objectives: [{ title: 'Strategic alignment', ...blank() }],
  key_results: [],
};


function Grid(props: { rows: [string, Horizons][] }) {
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label="Objectives at 1, 3 and 5 years">
      <table class="grid">
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">Objective</span>
            </th>
            {YEARS.map(([, y]) => (
              <th scope="col">{y}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map(([label, h]) => (
            <tr>
              <th scope="row">{label}</th>
              {YEARS.map(([k]) => (
                <td>{h[k]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function KeyResults(props: { list: KeyResult[]; period?: { from: string; to: string } }) {
  if (!props.list.length) return <p class="muted">No key results yet.</p>;
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label="Key results">
      <table class="krs">
        <caption class="small">
          Live: each key result's KPI for its division{props.period ? `, ${props.period.from} to ${props.period.to}` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Key result</th>
            <th scope="col">Value</th>
            <th scope="col">Target</th>
            <th scope="col">On track</th>
            <th scope="col">Due</th>
          </tr>
        </thead>
        <tbody>
          {props.list.map((k) => (
            <tr class={k.met === false ? 'behind' : ''}>
              <td>
                {k.title}
                <div class="small muted">
                  {k.kpi_name || k.kpi} · {k.division}
                </div>
              </td>
              <td class="value">{kpiValue(k.value ?? null, k.unit || '')}</td>
              <td>
                {k.direction ? DIRECTION[k.direction] || k.direction : ''} {kpiValue(k.target, k.unit || '')}
              </td>
              <td>
                {k.met === true ? '✓ on track' : k.met === false ? '✗ not on track' : 'no data yet'}
                {k.note && <div class="small muted">{k.note}</div>}
              </td>
              <td>{k.due}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Page(props: { s: StrategyDoc }) {
  const { s } = props;
  return (
    <article class="strategy">
      <dl class="facts">
        <dt>Mission</dt>
        <dd>{s.mission || '—'}</dd>
        <dt>Vision</dt>
        <dd>{s.vision || '—'}</dd>
        <dt>Customer ambition</dt>
        <dd>{s.ambition || '—'}</dd>
      </dl>
      <h2>Key objectives</h2>
      <Grid rows={KEY_OBJECTIVES.map(([k, label]) => [label, s.key_objectives[k]])} />
      <h2>Objectives</h2>
      <Grid rows={s.objectives.map((o, i) => [`${i + 1}. ${o.title}`, o])} />
      <h2>Key results</h2>
      <KeyResults list={s.key_results} period={s.period} />
      <dl class="facts">
        <dt>Communication plan</dt>
        <dd>{s.communication || '—'}</dd>
        <dt>Notes</dt>
        <dd>{s.notes || '—'}</dd>
      </dl>
    </article>
  );
}

// What a save sends: the strategy's own parts, without what the hub computes.
function editable(s: StrategyDoc): StrategyDoc {
  return {
    mission: s.mission,
    vision: s.vision,
    ambition: s.ambition,
    communication: s.communication,
    notes: s.notes,
    key_objectives: JSON.parse(JSON.stringify(s.key_objectives)),
    objectives: s.objectives.map((o) => ({ title: o.title, year1: o.year1, year3: o.year3, year5: o.year5 })),
    key_results: s.key_results.map((k) => ({ title: k.title, kpi: k.kpi, division: k.division, target: k.target, direction: k.direction, due: k.due })),
  };
}

// A TOML basic string: quotes, backslashes and control characters escaped.
function tomlString(v: string): string {
  return (
    '"' +
    v.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
      const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r' };
      return named[c] || '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
    }) +
    '"'
  );
}

// The strategy as the hub's strategy.toml (docs/strategy.md), the document a save sends.
export function toToml(s: StrategyDoc): string {
  const out: string[] = [];
  const line = (k: string, v: string) => out.push(`${k} = ${tomlString(v || '')}`);
  for (const k of ['mission', 'vision', 'ambition', 'communication', 'notes'] as const) line(k, s[k]);
  for (const [k] of KEY_OBJECTIVES) {
    out.push('', `[key_objectives.${k}]`);
    for (const [y] of YEARS) line(y, s.key_objectives[k][y]);
  }
  for (const o of s.objectives) {
    out.push('', '[[objectives]]');
    line('title', o.title);
    for (const [y] of YEARS) line(y, o[y]);
  }
  for (const k of s.key_results) {
    out.push('', '[[key_results]]');
    line('title', k.title);
    line('kpi', k.kpi);
    line('division', k.division);
    if (k.target !== null && k.target !== undefined && Number.isFinite(k.target)) out.push(`target = ${k.target}`);
    if (k.direction) line('direction', k.direction);
    line('due', k.due);
  }
  return out.join('\n') + '\n';
}

function Text(props: { id: string; label: string; value: string; onInput: (v: string) => void; long?: boolean }) {
  const set = (e: Event) => props.onInput((e.target as HTMLInputElement).value);
  return (
    <>
      <label for={props.id}>{props.label}</label>
      {props.long ? <textarea id={props.id} rows={2} value={props.value} onInput={set} /> : <input id={props.id} value={props.value} onInput={set} />}
    </>
  );
}

function Editor(props: { start: StrategyDoc; etag: string; onSaved: (text: string) => void; onCancel: () => void }) {
  const [s, setS] = useState<StrategyDoc>(editable(props.start));
  const [problem, setProblem] = useState('');
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const change = (f: (x: StrategyDoc) => void) => {
    const x = JSON.parse(JSON.stringify(s));
    f(x);
    setS(x);
  };
  async function save() {
    setBusy(true);
    setProblem('');
    try {
      // The first version of all is saved only if there is none yet (If-None-Match: *).
      const when: Record<string, string> = props.etag ? { 'If-Match': props.etag } : { 'If-None-Match': '*' };
      const r = await request<{ version: number; saved_by: string }>('PUT', STRATEGY, toToml(s), { 'Content-Type': 'application/toml', ...when });
      props.onSaved(`Saved as version ${r.data.version}.`);
    } catch (e) {
      if ((e as ApiError).status === 412) setStale(true);
      else setProblem('Not saved: ' + reason(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      class="editor"
      aria-label="Edit the strategy"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <Text id="st-mission" label="Mission" long value={s.mission} onInput={(v) => change((x) => (x.mission = v))} />
      <Text id="st-vision" label="Vision" long value={s.vision} onInput={(v) => change((x) => (x.vision = v))} />
      <Text id="st-ambition" label="Customer ambition" long value={s.ambition} onInput={(v) => change((x) => (x.ambition = v))} />
      {KEY_OBJECTIVES.map(([k, label]) => (
        <fieldset>
          <legend>{label}</legend>
          {YEARS.map(([y, yl]) => (
            <Text id={`st-${k}-${y}`} label={yl} value={s.key_objectives[k][y]} onInput={(v) => change((x) => (x.key_objectives[k][y] = v))} />
          ))}
        </fieldset>
      ))}
      {s.objectives.map((o, i) => (
        <fieldset>
          <legend>Objective {i + 1}</legend>
          <Text id={`st-obj${i}-title`} label="Title" value={o.title} onInput={(v) => change((x) => (x.objectives[i].title = v))} />
          {YEARS.map(([y, yl]) => (
            <Text id={`st-obj${i}-${y}`} label={yl} value={o[y]} onInput={(v) => change((x) => (x.objectives[i][y] = v))} />
          ))}
        </fieldset>
      ))}
      {s.key_results.map((k, i) => (
        <fieldset class="kr">
          <legend>Key result {i + 1}</legend>
          <Text id={`st-kr${i}-title`} label="Title" value={k.title} onInput={(v) => change((x) => (x.key_results[i].title = v))} />
          <div class="row">
            <div class="field">
              <Text id={`st-kr${i}-kpi`} label="KPI key" value={k.kpi} onInput={(v) => change((x) => (x.key_results[i].kpi = v))} />
            </div>
            <div class="field">
              <Text id={`st-kr${i}-division`} label="Division" value={k.division} onInput={(v) => change((x) => (x.key_results[i].division = v))} />
            </div>
            <div class="field">
              <label for={`st-kr${i}-target`}>Target</label>
              <input
                id={`st-kr${i}-target`}
                inputMode="decimal"
                value={k.target === null ? '' : String(k.target)}
                onInput={(e) => change((x) => (x.key_results[i].target = (e.target as HTMLInputElement).value.trim() === '' ? null : Number((e.target as HTMLInputElement).value)))}
              />
            </div>
            <div class="field">
              <Text id={`st-kr${i}-due`} label="Due" value={k.due} onInput={(v) => change((x) => (x.key_results[i].due = v))} />
            </div>
          </div>
        </fieldset>
      ))}
      <Text id="st-communication" label="Communication plan" long value={s.communication} onInput={(v) => change((x) => (x.communication = v))} />
      <Text id="st-notes" label="Notes" long value={s.notes} onInput={(v) => change((x) => (x.notes = v))} />
      {stale && (
        <p class="error" role="alert">
          Not saved: the strategy was changed by someone else since you opened it. Reload to see their version, then make
          your change again.{' '}
          <button type="button" class="linkish" onClick={() => props.onSaved('')}>
            Reload
          </button>
        </p>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || stale}>
          Save a new version
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function History(props: { shown: number | null; onShow: (v: number | null) => void }) {
  const path = STRATEGY + '/history';
  const r = useApi<{ versions: { version: number; saved_at: string; saved_by: string }[] }>(path);
  return (
    <Load r={r} what="the strategy's versions" path={path}>
      {(d) => {
        const newest = [...d.versions].sort((a, b) => b.version - a.version);
        return (
        <ol class="versions small" reversed>
          {newest
            .map((v, i) => (
              <li value={v.version}>
                Version {v.version}, {when(v.saved_at)} by {v.saved_by}{' '}
                {(props.shown ?? newest[0].version) === v.version ? (
                  <strong>(shown)</strong>
                ) : (
                  <button type="button" class="linkish" onClick={() => props.onShow(i === 0 ? null : v.version)}>
                    Show version {v.version}
                  </button>
                )}
              </li>
            ))}
        </ol>
        );
      }}
    </Load>
  );
}

export function Strategy(props: { user: User }) {
  const [version, setVersion] = useState<number | null>(null); // null: the current one
  const [n, setN] = useState(0); // bumped after a save: the versions are read again
  const path = STRATEGY + qs({ version });
  const r = useApi<StrategyDoc>(path);
  const [edit, setEdit] = useState<{ s: StrategyDoc; etag: string } | null>(null);
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<ApiError | null>(null);
  async function startEdit() {
    setMessage('');
    setProblem(null);
    try {
      // The editor starts from the current version and saves only over it (its ETag).
      const a = await request<StrategyDoc>('GET', STRATEGY);
      setEdit({ s: a.data, etag: a.headers.get('ETag') || '' });
    } catch (e) {
      if (none(e)) setEdit({ s: EMPTY, etag: '' });
      else setProblem(e as ApiError);
    }
  }
  const dl = (format: string) => STRATEGY + '/export' + qs({ format, version });
  const editButton = mayChange(props.user) && (
    <button type="button" class="primary" onClick={() => void startEdit()}>
      {r.error ? 'Write the strategy' : 'Edit the strategy'}
    </button>
  );
  let shown;
  if (edit) {
    shown = (
      <Editor
        key={edit.etag}
        start={edit.s}
        etag={edit.etag}
        onCancel={() => setEdit(null)}
        onSaved={(text) => {
          setEdit(null);
          setVersion(null);
          setMessage(text);
          setN((x) => x + 1);
          r.reload();
        }}
      />
    );
  } else if (r.error && none(r.error)) {
    shown = (
      <>
        <p class="muted">No strategy has been saved yet.</p>
        <div class="actions">{editButton}</div>
      </>
    );
  } else {
    shown = (
      <Load r={r} what="the strategy" path={path}>
        {(s) => (
          <>
            <p class="small muted">
              Version {s.version}, saved {when(s.saved_at)} by {s.saved_by}.{' '}
              {version !== null && (
                <button type="button" class="linkish" onClick={() => setVersion(null)}>
                  Back to the current version
                </button>
              )}
            </p>
            <div class="actions">
              {version === null && editButton}
              <a class="button" href={dl('html')} download={`strategy-v${s.version}.html`}>
                Download (HTML, one A4 page)
              </a>
              <a class="button" href={dl('xlsx')} download={`strategy-v${s.version}.xlsx`}>
                Download (Excel)
              </a>
            </div>
            <Page s={s} />
          </>
        )}
      </Load>
    );
  }
  return (
    <section>
      <h1>Strategy</h1>
      <p class={message ? 'notice' : 'visually-hidden'} role="status">
        {message}
      </p>
      {problem && <Problem error={problem} what="the strategy" path={STRATEGY} />}
      {shown}
      <h2>Versions</h2>
      <History key={n} shown={version} onShow={setVersion} />
      <Steps user={props.user} />
    </section>
  );
}
