// Feedback: a division's emotion curve along its journey (a chart, and the same numbers as a
// table for the keyboard and screen readers), its NPS and CSAT by stage, its touchpoints ranked
// by what they bring for what they cost, and a survey link made for a touchpoint (docs/feedback.md).
// Loaded with its chart library only when the screen is opened.
import 'uplot/dist/uPlot.min.css';
import uPlot from 'uplot';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, qs, request, type User } from '../api';
import { JOURNEYS, useJourneys } from '../journeys';
import { Load, money, useApi } from '../ui';

interface CurvePoint {
  stage: string;
  mean: number | null;
  n: number;
}

interface ScoreGroup {
  stage: string | null;
  division?: string;
  nps: number | null;
  nps_n: number;
  csat: number | null;
  csat_n: number;
}

interface Touchpoint {
  id: string;
  name: string;
  stage: string;
  budget: number;
  responses: number;
  nps: number | null;
  mean_emotion: number | null;
  leads: number;
  won: number;
  won_amount: number;
  won_amount_per_naira: number | null;
  cost_per_lead: number | null;
  verdict: string | null;
}

interface SurveyLink {
  url: string;
  touchpoint: string;
  contact: string | null;
  kind: string;
  expires: string;
}

const KINDS: [string, string][] = [
  ['nps', 'NPS (0–10: would you recommend us?)'],
  ['csat', 'CSAT (1–5: how satisfied?)'],
  ['emotion', 'Emotion (−2 to +2: how did it feel?)'],
];

// The periods the screen offers; the hub's own default (no dates) is the current quarter.
function period(which: string): { from?: string; to?: string } {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  const today = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  if (which === 'year') return { from: `${d.getFullYear()}-01-01`, to: today };
  if (which === '12m') return { from: `${d.getFullYear() - 1}-${p(d.getMonth() + 1)}-${p(d.getDate())}`, to: today };
  return {};
}

const signed = (v: number | null, digits = 2) => (v === null || v === undefined ? '—' : (v > 0 ? '+' : '') + v.toFixed(digits));
const num = (v: number | null, digits = 0) => (v === null || v === undefined ? '—' : v.toFixed(digits));

function Curve(props: { division: string; stages: CurvePoint[] }) {
  const el = useRef<HTMLDivElement>(null);
  const { stages } = props;
  useEffect(() => {
    if (!el.current || !stages.length) return;
    const names = stages.map((s) => s.stage);
    const width = Math.max(280, Math.min(720, el.current.parentElement?.clientWidth || 320));
    // Stage names are tilted when they would not fit side by side.
    const tilt = width / names.length < 9 * Math.max(...names.map((x) => x.length));
    const plot = new uPlot(
      {
        width,
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false, range: [-0.3, names.length - 0.7] }, y: { range: [-2, 2] } },
        axes: [
          {
            values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? names[t] ?? '' : '')),
            incrs: [1],
            space: 10, // a tick per stage however narrow
            rotate: tilt ? 35 : 0,
            size: tilt ? 64 : 36,
            gap: 4,
            font: '12px system-ui',
          },
          { values: (_u, ticks) => ticks.map((t) => (t > 0 ? '+' : '') + t), incrs: [1], size: 36, font: '12px system-ui' },
        ],
        series: [{}, { stroke: '#1d5fa8', width: 2, points: { show: true, size: 9, fill: '#1d5fa8' }, spanGaps: false }],
      },
      [names.map((_, i) => i), stages.map((s) => s.mean) as number[]],
      el.current,
    );
    return () => plot.destroy();
  }, [props.division, stages.map((s) => `${s.stage}:${s.mean}`).join()]);
  const said = stages.map((s) => `${s.stage} ${s.mean === null ? 'no answers' : `${signed(s.mean)} (${s.n})`}`).join('; ');
  return (
    <figure class="curve">
      <div ref={el} class="chart" role="img" aria-label={`Emotion curve of ${props.division}, mean score from −2 to +2 per stage: ${said}`} />
      <figcaption class="small muted">Mean emotion score (−2 to +2) at each stage of the {props.division} journey; a gap where no one answered.</figcaption>
      <div class="scroll" tabIndex={0} role="region" aria-label={`Emotion curve of ${props.division} as a table`}>
        <table class="curve-table">
          <caption class="small">The curve as a table</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Mean emotion</th>
              <th scope="col">Answers</th>
            </tr>
          </thead>
          <tbody>
            {stages.map((s) => (
              <tr>
                <td>{s.stage}</td>
                <td>{signed(s.mean)}</td>
                <td>{s.n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

function Scores(props: { groups: ScoreGroup[] }) {
  if (!props.groups.length) return <p class="muted">No NPS or CSAT answers in this period.</p>;
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label="NPS and CSAT by stage">
      <table class="scores">
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col">NPS</th>
            <th scope="col">NPS answers</th>
            <th scope="col">CSAT</th>
            <th scope="col">CSAT answers</th>
          </tr>
        </thead>
        <tbody>
          {props.groups.map((g) => (
            <tr>
              <td>{g.stage || '(no stage)'}</td>
              <td>{num(g.nps)}</td>
              <td>{g.nps_n}</td>
              <td>{g.csat === null ? '—' : Math.round(g.csat * 100) + '%'}</td>
              <td>{g.csat_n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Ranking(props: { list: Touchpoint[] }) {
  if (!props.list.length) return <p class="muted">This division has no touchpoints yet (<code>cxhub touchpoint add</code>).</p>;
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label="Touchpoints ranked">
      <table class="ranking">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Touchpoint</th>
            <th scope="col">Verdict</th>
            <th scope="col">Won ₦ per ₦</th>
            <th scope="col">Budget (period)</th>
            <th scope="col">Leads</th>
            <th scope="col">Won</th>
            <th scope="col">Cost per lead</th>
            <th scope="col">Answers</th>
            <th scope="col">NPS</th>
            <th scope="col">Emotion</th>
          </tr>
        </thead>
        <tbody>
          {props.list.map((t, i) => (
            <tr data-id={t.id}>
              <td>{i + 1}</td>
              <td>
                {t.name} <span class="muted small">{t.id}{t.stage ? ` · ${t.stage}` : ''}</span>
              </td>
              <td class={t.verdict === 'cut-or-fix' ? 'error' : ''}>{t.verdict || '—'}</td>
              <td>{num(t.won_amount_per_naira, 2)}</td>
              <td>{money(t.budget)}</td>
              <td>{t.leads}</td>
              <td>
                {t.won} {t.won ? <span class="muted small">({money(t.won_amount)})</span> : null}
              </td>
              <td>{t.cost_per_lead === null ? '—' : money(t.cost_per_lead)}</td>
              <td>{t.responses}</td>
              <td>{num(t.nps)}</td>
              <td>{signed(t.mean_emotion)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// Makes a signed, single-use survey link for a touchpoint (and a contact) to send by WhatsApp
// or SMS; the person who answers needs no login.
function MakeLink(props: { touchpoints: Touchpoint[] }) {
  const [touchpoint, setTouchpoint] = useState(props.touchpoints[0]?.id || '');
  const [contact, setContact] = useState('');
  const [kind, setKind] = useState('nps');
  const [link, setLink] = useState<SurveyLink | null>(null);
  const [problem, setProblem] = useState('');
  const [copied, setCopied] = useState('');
  const [busy, setBusy] = useState(false);
  const out = useRef<HTMLInputElement>(null);
  async function make() {
    setBusy(true);
    setProblem('');
    setCopied('');
    try {
      const body: Record<string, string> = { touchpoint, kind };
      if (contact.trim()) body.contact_id = contact.trim();
      setLink((await request<SurveyLink>('POST', '/api/v1/survey-links', body)).data);
    } catch (e) {
      const x = e as ApiError;
      const fields = x.body?.fields ? Object.values(x.body.fields).join('; ') : '';
      setLink(null);
      setProblem('No link made: ' + x.message + (fields && !x.message.includes(fields) ? ' — ' + fields : ''));
    } finally {
      setBusy(false);
    }
  }
  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
    } catch {
      // Without the clipboard API (an insecure origin), the selected text is copied the old way.
      out.current?.select();
      document.execCommand('copy');
    }
    setCopied('Copied: paste it into WhatsApp or an SMS.');
  }
  if (!props.touchpoints.length) return <p class="muted">A survey link names a touchpoint: this division has none yet.</p>;
  return (
    <form
      class="survey"
      onSubmit={(e) => {
        e.preventDefault();
        void make();
      }}
    >
      <div class="row">
        <div class="field">
          <label for="sv-touchpoint">Touchpoint</label>
          <select id="sv-touchpoint" value={touchpoint} onChange={(e) => setTouchpoint((e.target as HTMLSelectElement).value)}>
            {props.touchpoints.map((t) => (
              <option value={t.id}>
                {t.name} ({t.id})
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="sv-kind">Question</label>
          <select id="sv-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            {KINDS.map(([k, label]) => (
              <option value={k}>{label}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="sv-contact">Contact id (optional)</label>
          <input id="sv-contact" placeholder="C-000123" value={contact} onInput={(e) => setContact((e.target as HTMLInputElement).value)} />
        </div>
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !touchpoint}>
          Make a survey link
        </button>
      </div>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {link && (
        <div class="made" role="status">
          <label for="sv-url">Survey link (one answer, valid until {link.expires.slice(0, 10)})</label>
          <div class="row">
            <input id="sv-url" ref={out} readOnly value={link.url} class="field" onFocus={(e) => (e.target as HTMLInputElement).select()} />
            <button type="button" onClick={() => void copy()}>
              Copy link
            </button>
          </div>
          <p class="small">
            <a href={link.url} target="_blank" rel="noopener">
              Open the survey page
            </a>{' '}
            {copied && <span>{copied}</span>}
          </p>
        </div>
      )}
    </form>
  );
}

export function Feedback(props: { user: User }) {
  const j = useJourneys();
  return (
    <section>
      <h1>Feedback</h1>
      <Load r={j} what="the journeys" path={JOURNEYS}>
        {(d) => <DivisionFeedback user={props.user} divisions={d.journeys.map((x) => x.division)} />}
      </Load>
    </section>
  );
}

function DivisionFeedback(props: { user: User; divisions: string[] }) {
  const [division, setDivision] = useState(props.divisions.includes(props.user.division) ? props.user.division : props.divisions[0] || '');
  const [when, setWhen] = useState('quarter');
  const p = period(when);
  const curve = '/api/v1/feedback/curve' + qs({ division, ...p });
  const scores = '/api/v1/feedback/scores' + qs({ by: 'stage', division, ...p });
  const ranked = '/api/v1/touchpoints' + qs({ division, ...p });
  const c = useApi<{ division: string; stages: CurvePoint[] }>(curve);
  const s = useApi<{ from: string; to: string; groups: ScoreGroup[] }>(scores);
  const t = useApi<{ from: string; to: string; touchpoints: Touchpoint[] }>(ranked);
  return (
    <>
      <div class="row">
        <div class="field">
          <label for="fb-division">Division</label>
          <select id="fb-division" value={division} onChange={(e) => setDivision((e.target as HTMLSelectElement).value)}>
            {props.divisions.map((x) => (
              <option>{x}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="fb-period">Period</label>
          <select id="fb-period" value={when} onChange={(e) => setWhen((e.target as HTMLSelectElement).value)}>
            <option value="quarter">This quarter</option>
            <option value="year">This year</option>
            <option value="12m">The last 12 months</option>
          </select>
        </div>
      </div>
      {t.data && (
        <p class="muted small">
          {t.data.from} to {t.data.to}
        </p>
      )}
      <h2>Emotion curve</h2>
      <Load r={c} what="the emotion curve" path={curve}>
        {(d) => <Curve division={d.division} stages={d.stages} />}
      </Load>
      <h2>NPS and CSAT</h2>
      <Load r={s} what="the NPS and CSAT scores" path={scores}>
        {(d) => <Scores groups={d.groups.filter((g) => !g.division || g.division === division)} />}
      </Load>
      <h2>Touchpoints ranked</h2>
      <p class="small muted">By won amount per naira of budget, then NPS: invest in the first, cut or fix those that cost and win nothing.</p>
      <Load r={t} what="the touchpoint ranking" path={ranked}>
        {(d) => <Ranking list={d.touchpoints} />}
      </Load>
      <h2>Make a survey link</h2>
      <Load r={t} what="the touchpoints" path={ranked}>
        {(d) => <MakeLink key={division} touchpoints={d.touchpoints} />}
      </Load>
    </>
  );
}
