// The seven steps of customer-experience management for this year (GET /api/v1/cem = `cem show
// --json`): status, owner, note and the evidence the hub computes; a manager or admin changes a
// step's status, owner or note (PATCH /api/v1/cem/{step} with the steps' ETag, docs/strategy.md).
import { useEffect, useState } from 'preact/hooks';
import { ApiError, qs, request, type User } from '../api';
import { Load, useApi } from '../ui';

interface Step {
  step: number;
  title: string;
  what: string;
  status: string;
  owner: string | null;
  note: string;
  started: string | null;
  evidence: { summary: string };
}

const CEM = '/api/v1/cem';

// Who may change the strategy and the steps (docs/strategy.md); the hub checks it again.
export const mayChange = (u: User) => u.role === 'manager' || u.role === 'admin';

// The hub's reason for a refusal, with each field's problem.
export function reason(e: unknown): string {
  const x = e as ApiError;
  const fields = x.body?.fields ? Object.entries(x.body.fields).map(([f, m]) => `${f}: ${m}`) : [];
  return [x.message, ...fields.filter((f) => !x.message.includes(f))].join(' — ');
}

const STATUSES = ['not-started', 'in-progress', 'done'];

export function Steps(props: { user: User }) {
  const r = useApi<{ year: number; at: string; steps: Step[] }>(CEM);
  const [editing, setEditing] = useState(0);
  const [message, setMessage] = useState('');
  return (
    <>
      <h2>The seven steps</h2>
      <p class={message ? 'notice' : 'visually-hidden'} role="status">
        {message}
      </p>
      <Load r={r} what="the seven steps" path={CEM}>
        {(d) => (
          <ol class="steps">
            {d.steps.map((st) => (
              <li class="step" data-step={st.step}>
                <div>
                  <strong>
                    {st.step}. {st.title}
                  </strong>{' '}
                  <span class={'status ' + st.status}>{st.status.replace('-', ' ')}</span>
                </div>
                <div class="small">
                  Owner: {st.owner || '—'}
                  {st.started ? ` · started ${st.started}` : ''}
                </div>
                {st.note && <div class="small">{st.note}</div>}
                <div class="small muted">Evidence: {st.evidence.summary || 'none'}</div>
                {mayChange(props.user) &&
                  (editing === st.step ? (
                    <StepForm
                      year={d.year}
                      step={st}
                      onDone={(text) => {
                        setEditing(0);
                        if (text) {
                          setMessage(text);
                          r.reload();
                        }
                      }}
                    />
                  ) : (
                    <div class="actions">
                      <button type="button" onClick={() => (setMessage(''), setEditing(st.step))}>
                        Change step {st.step}
                      </button>
                    </div>
                  ))}
              </li>
            ))}
          </ol>
        )}
      </Load>
    </>
  );
}

function StepForm(props: { year: number; step: Step; onDone: (text: string) => void }) {
  const st = props.step;
  const [status, setStatus] = useState(st.status);
  const [owner, setOwner] = useState('');
  const [note, setNote] = useState(st.note);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const id = `cem-${st.step}`;
  // The steps as they were when the form opened (their ETag): a change saved by someone else
  // in between is not overwritten unseen.
  const [etag, setEtag] = useState<string | null>(null);
  useEffect(() => {
    request('GET', CEM + qs({ year: props.year })).then(
      (a) => setEtag(a.headers.get('ETag') || ''),
      (e) => setProblem('Cannot change it now: ' + reason(e)),
    );
  }, []);
  async function save() {
    setBusy(true);
    setProblem('');
    try {
      const body: Record<string, unknown> = { status, note };
      if (owner.trim()) body.owner = owner.trim();
      await request('PATCH', `${CEM}/${st.step}` + qs({ year: props.year }), body, { 'If-Match': etag || '' });
      props.onDone(`Step ${st.step} saved: ${status.replace('-', ' ')}.`);
    } catch (e) {
      if ((e as ApiError).status === 412) setProblem('Not saved: the steps were changed by someone else since you opened this. Cancel and change it again.');
      else setProblem('Not saved: ' + reason(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      class="stepform"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div class="row">
        <div class="field">
          <label for={id + '-status'}>Status</label>
          <select id={id + '-status'} value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            {STATUSES.map((x) => (
              <option value={x}>{x.replace('-', ' ')}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={id + '-owner'}>New owner (login, optional)</label>
          <input id={id + '-owner'} placeholder={st.owner || 'funke.a'} value={owner} onInput={(e) => setOwner((e.target as HTMLInputElement).value)} />
        </div>
      </div>
      <label for={id + '-note'}>Note</label>
      <textarea id={id + '-note'} rows={2} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || etag === null}>
          Save step {st.step}
        </button>
        <button type="button" onClick={() => props.onDone('')}>
          Cancel
        </button>
      </div>
    </form>
  );
}

