// Pipeline: a board per division with its journey's open stages, as the hub is configured
// (GET /api/v1/journeys). An opportunity moves one stage on with the keyboard (a button: POST
// /api/v1/opportunities/{id}/moves); into the won stage it is won (…/win), and it can be lost
// with a reason (…/lose). The hub enforces the journey's checklists: a column names the
// checklist needed to enter it, a refused move is shown with the hub's reason and opens the
// card's checklist, whose items are ticked here (…/checklist) before moving again.
import { useState } from 'preact/hooks';
import { ApiError, qs, request, type User } from '../api';
import { type Journey, JOURNEYS, openStages, stageNames, useJourneys } from '../journeys';
import { Load, money, RecordLink, useApi } from '../ui';

const PER_COLUMN = 20; // cards shown per stage (newest first) before "Show all"

interface Opportunity {
  id: string;
  account_id: string;
  division: string;
  stage: string;
  owner: string;
  title?: string;
  amount?: number | null;
  outcome: string;
  created?: string;
}

interface ChecklistItem {
  checklist: string;
  required_for: string;
  item: string;
  key: string;
  required: boolean;
  done: boolean;
  by: string;
}

const path = (id: string, what = '') => `/api/v1/opportunities/${encodeURIComponent(id)}${what}`;

// The hub's reason, without its hint for the command line (the page's own way follows it).
function why(e: unknown): string {
  const x = e as ApiError;
  const fields = x.body?.fields ? Object.values(x.body.fields).join('; ') : '';
  const message = x.message.replace(/\s*\([^()]*`cxhub[^()]*\)\s*$/, '');
  return message + (fields && !message.includes(fields) ? ' — ' + fields : '');
}

function Checklist(props: { id: string; onChange: () => void }) {
  const r = useApi<{ checklist: ChecklistItem[] }>(path(props.id));
  const [problem, setProblem] = useState('');
  const [ticking, setTicking] = useState<string[]>([]); // sent (shown ticked until the hub's answer is read)
  async function tick(item: ChecklistItem) {
    setProblem('');
    setTicking((t) => [...t, item.key]);
    try {
      await request('POST', path(props.id, '/checklist'), { items: [item.item] });
      r.reload();
      props.onChange();
    } catch (e) {
      setProblem(`${item.item}: not recorded — ${why(e)}`);
      setTicking((t) => t.filter((k) => k !== item.key));
    }
  }
  return (
    <Load r={r} what="the checklist" path={path(props.id)}>
      {(d) =>
        d.checklist.length === 0 ? (
          <p class="small muted">This journey has no checklist.</p>
        ) : (
          <fieldset class="checklist">
            <legend>Checklist of {props.id}</legend>
            {d.checklist.map((c) => (
              <label class="small">
                <input type="checkbox" checked={c.done || ticking.includes(c.key)} disabled={c.done || ticking.includes(c.key)} onChange={() => void tick(c)} />
                <span>
                  {c.item}{' '}
                  <span class="muted">
                    (before {c.required_for}
                    {c.required ? '' : ', optional'}
                    {c.done && c.by ? `, ticked by ${c.by}` : ''})
                  </span>
                </span>
              </label>
            ))}
            {problem && (
              <p class="error" role="alert">
                {problem}
              </p>
            )}
          </fieldset>
        )
      }
    </Load>
  );
}

function Card(props: { o: Opportunity; next?: string; won: string; onMoved: (text: string) => void }) {
  const { o } = props;
  const [open, setOpen] = useState(false);
  const [refusal, setRefusal] = useState('');
  const [losing, setLosing] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  async function act(what: string, body: unknown, done: string) {
    setBusy(true);
    setRefusal('');
    try {
      await request('POST', path(o.id, what), body);
      props.onMoved(done);
    } catch (e) {
      const checklist = /checklist/.test((e as ApiError).message);
      setRefusal(`Not moved: ${why(e)}${checklist ? '. Tick them in the checklist below (a manager may override).' : ''}`);
      if (checklist) setOpen(true);
    } finally {
      setBusy(false);
    }
  }
  const next = props.next;
  return (
    <li class="card" data-id={o.id}>
      <div>
        <strong>{o.title || o.id}</strong> <span class="muted small">{o.id}</span>
      </div>
      <div class="small">
        <RecordLink id={o.account_id} /> {money(o.amount)}
      </div>
      <div class="small muted">{o.owner}</div>
      <div class="actions">
        {next && (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              void (next === props.won
                ? act('/win', {}, `${o.id} won: it is at ${props.won}.`)
                : act('/moves', { stage: next }, `${o.id} moved to ${next}.`))
            }
          >
            {next === props.won ? 'Won' : `Move to ${next}`}
          </button>
        )}
        <button type="button" class="linkish" aria-expanded={open} onClick={() => setOpen(!open)}>
          Checklist
        </button>
        <button type="button" class="linkish" aria-expanded={losing} onClick={() => setLosing(!losing)}>
          Lost…
        </button>
      </div>
      {refusal && (
        <p class="error" role="alert">
          {refusal}
        </p>
      )}
      {losing && (
        <form
          class="lose"
          onSubmit={(e) => {
            e.preventDefault();
            void act('/lose', { reason: reason.trim() }, `${o.id} lost: ${reason.trim()}.`);
          }}
        >
          <label for={'lost-' + o.id}>Why was it lost?</label>
          <input id={'lost-' + o.id} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
          <button type="submit" disabled={busy || !reason.trim()}>
            Mark lost
          </button>
        </form>
      )}
      {open && <Checklist id={o.id} onChange={() => setRefusal('')} />}
    </li>
  );
}

function Column(props: { stage: string; list: Opportunity[]; next?: string; won: string; needs: string[]; onMoved: (t: string) => void }) {
  const [all, setAll] = useState(false);
  const shown = all ? props.list : props.list.slice(0, PER_COLUMN);
  return (
    <section class="column" aria-label={`Stage ${props.stage}`}>
      <h2>
        {props.stage} <span class="muted small">({props.list.length})</span>
      </h2>
      {props.needs.length > 0 && <p class="small muted needs">To enter: {props.needs.join(', ')}</p>}
      <ul>
        {shown.map((o) => (
          <Card key={o.id} o={o} next={props.next} won={props.won} onMoved={props.onMoved} />
        ))}
      </ul>
      {shown.length < props.list.length && (
        <button type="button" class="linkish" onClick={() => setAll(true)}>
          Show all {props.list.length}
        </button>
      )}
    </section>
  );
}

export function Pipeline(props: { user: User }) {
  const j = useJourneys();
  return (
    <section>
      <h1>Pipeline</h1>
      <Load r={j} what="the journeys" path={JOURNEYS}>
        {(d) => <Board user={props.user} journeys={d.journeys} />}
      </Load>
    </section>
  );
}

function Board(props: { user: User; journeys: Journey[] }) {
  const names = props.journeys.map((x) => x.division);
  const [division, setDivision] = useState(names.includes(props.user.division) ? props.user.division : names[0] || '');
  const [message, setMessage] = useState('');
  // A salesperson works their own deals; everyone can see the whole division's.
  const [mine, setMine] = useState(props.user.role === 'sales');
  const list = '/api/v1/opportunities' + qs({ division, outcome: 'open', owner: mine ? props.user.login : '', limit: 500 });
  const r = useApi<{ items: Opportunity[]; next_cursor: string | null }>(division ? list : null);
  const j = props.journeys.find((x) => x.division === division);
  if (!j) return <p class="muted">The hub has no journey configured.</p>;
  // The checklists a deal must have completed to enter each stage (they hold for later stages too).
  const needs = (stage: string) => (j.stages.find((s) => s.name === stage)?.checklists || []).map((c) => c.title || c.name);
  const inOrder = stageNames(j);
  return (
    <>
      <label for="pl-division">Division</label>
      <select id="pl-division" value={division} onChange={(e) => setDivision((e.target as HTMLSelectElement).value)}>
        {names.map((d) => (
          <option>{d}</option>
        ))}
      </select>
      <label class="inline">
        <input type="checkbox" checked={mine} onChange={() => setMine(!mine)} /> Only my deals
      </label>
      <p class={message ? 'notice' : 'visually-hidden'} role="status">
        {message}
      </p>
      <Load r={r} what="opportunities" path={list}>
        {(d) => {
          const open = openStages(j);
          // A stage the hub's deals are at that the journey no longer lists is shown after its stages.
          const extra = [...new Set(d.items.map((o) => o.stage))].filter((s) => !open.includes(s));
          const stages = [...open, ...extra];
          const won = inOrder.indexOf(j.won_stage);
          return (
            <>
              {d.next_cursor && <p class="muted small">The first 500 open opportunities (oldest first) of {division}.</p>}
              <div class="board" data-division={division}>
                {stages.map((s) => {
                  const i = inOrder.indexOf(s);
                  return (
                    <Column
                      key={division + s}
                      stage={s}
                      list={d.items.filter((o) => o.stage === s).sort((a, b) => (b.created || '').localeCompare(a.created || ''))}
                      next={i >= 0 && i < won ? inOrder[i + 1] : undefined}
                      won={j.won_stage}
                      needs={needs(s)}
                      onMoved={(t) => {
                        setMessage(t);
                        r.reload();
                      }}
                    />
                  );
                })}
              </div>
            </>
          );
        }}
      </Load>
    </>
  );
}
