// KPI targets on the Admin screen: the targets in force (GET /api/v1/kpi/targets), and for a
// role the rules table lets set them (managers) an editor per target (POST
// /api/v1/kpi/targets {key, division, value, direction}) showing the hub's problem beside the
// field it names. The KPIs screen reads the scorecard afresh, so it shows a saved target.
import { useEffect, useRef, useState } from 'preact/hooks';
import { request, type User } from '../api';
import { Load, useApi } from '../ui';
import { described, Field, may, NO_PROBLEMS, type Problems, problemsOf, type Roles } from './admin_form';

interface Target {
  key: string;
  division: string | null; // null: every division's default
  value: number;
  direction: string; // above | below
}

const TARGETS = '/api/v1/kpi/targets';
// The hub's directions (docs/kpi.md) in words.
const DIRECTIONS: Record<string, string> = {
  above: 'above the target',
  at_least: 'at or above the target',
  at_most: 'at or below the target',
  below: 'below the target',
};
const value = (e: Event) => (e.target as HTMLInputElement).value;

function EditTarget(props: { t: Target; onSaved: () => void; onClose: () => void }) {
  const t = props.t;
  const [v, setV] = useState(String(t.value));
  const [direction, setDirection] = useState(t.direction);
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const [said, setSaid] = useState('');
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const id = 'kt-' + (t.key + '-' + (t.division || 'all')).replace(/[^A-Za-z0-9_-]/g, '_');
  async function save(e: Event) {
    e.preventDefault();
    setSaid('');
    setProblems(NO_PROBLEMS);
    const n = v.trim() === '' ? NaN : Number(v);
    if (!Number.isFinite(n)) {
      setProblems({ fields: { value: 'must be a number' }, general: '' });
      return;
    }
    const body: Record<string, unknown> = { key: t.key, value: n, direction };
    if (t.division) body.division = t.division;
    try {
      await request('POST', TARGETS, body);
      setSaid(`Saved: ${t.key} (${t.division || 'every division'}) targets ${n}, ${direction}. The KPIs screen shows it.`);
      props.onSaved();
    } catch (x) {
      setProblems(problemsOf(x, ['key', 'division', 'value', 'direction']));
    }
  }
  const f = problems.fields;
  return (
    <form class="adminform" onSubmit={(e) => void save(e)} aria-labelledby={id + '-h'}>
      <h3 id={id + '-h'}>
        Target of {t.key} ({t.division || 'every division'})
      </h3>
      <div class="row">
        <Field id={id + '-value'} label="Target" problem={f.value} hint="as the hub counts it: a rate as a fraction (0.6 = 60 %)">
          <input ref={first} {...described(id + '-value', f.value, 'hint')} inputMode="decimal" value={v} onInput={(e) => setV(value(e))} />
        </Field>
        <Field id={id + '-direction'} label="Met when the value is" problem={f.direction}>
          <select {...described(id + '-direction', f.direction)} value={direction} onChange={(e) => setDirection(value(e))}>
            {Object.entries(DIRECTIONS).map(([d, words]) => (
              <option value={d}>{words}</option>
            ))}
          </select>
        </Field>
      </div>
      {(problems.general || f.key || f.division) && (
        <p class="error" role="alert">
          Not saved: {problems.general || f.key || f.division}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary">
          Save target
        </button>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
      {said && <p role="status">{said}</p>}
    </form>
  );
}

export function Targets(props: { me: User; roles: Roles | undefined }) {
  const r = useApi<{ targets: Target[] }>(TARGETS);
  const [open, setOpen] = useState('');
  const edit = may(props.roles, props.me, 'set KPI targets');
  const name = (t: Target) => t.key + '/' + (t.division || '');
  const opened = r.data?.targets.find((t) => name(t) === open);
  // Closing an editor gives the keyboard back to the button that opened it.
  const close = (t: Target) => {
    setOpen('');
    const sel = `table.targets tr[data-key="${CSS.escape(t.key)}"][data-division="${CSS.escape(t.division || '')}"] button`;
    (document.querySelector(sel) as HTMLElement | null)?.focus();
  };
  return (
    <>
      <h2>KPI targets</h2>
      <Load r={r} what="KPI targets" path={TARGETS}>
        {(d) => (
          <div class="scroll" tabIndex={0} role="region" aria-label="KPI targets">
            <table class="targets">
              <thead>
                <tr>
                  <th scope="col">KPI</th>
                  <th scope="col">Division</th>
                  <th scope="col">Target</th>
                  <th scope="col">Met when the value is</th>
                  {edit && <th scope="col">Change</th>}
                </tr>
              </thead>
              <tbody>
                {d.targets.map((t) => (
                  <tr data-key={t.key} data-division={t.division || ''}>
                    <td>{t.key}</td>
                    <td>{t.division || 'every division'}</td>
                    <td>{t.value}</td>
                    <td>{DIRECTIONS[t.direction] || t.direction}</td>
                    {edit && (
                      <td>
                        <button
                          type="button"
                          class="linkish"
                          aria-expanded={open === name(t)}
                          aria-label={`Change the target of ${t.key} (${t.division || 'every division'})`}
                          onClick={() => setOpen(open === name(t) ? '' : name(t))}
                        >
                          Change
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Load>
      {!edit && props.roles && <p class="small muted">Managers set the targets (the role table: set KPI targets).</p>}
      {edit && opened && <EditTarget key={open} t={opened} onSaved={r.reload} onClose={() => close(opened)} />}
    </>
  );
}
