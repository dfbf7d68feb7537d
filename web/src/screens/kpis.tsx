// KPIs: the scorecard per division against its targets (/api/v1/kpi = `kpi --json`), each
// with its trend over the last quarters as a small chart, and the records behind it.
import 'uplot/dist/uPlot.min.css';
import uPlot from 'uplot';
import { useEffect, useRef, useState } from 'preact/hooks';
import { qs, type User } from '../api';
import { kpiValue, Load, RecordLink, useApi } from '../ui';

interface Kpi {
  key: string;
  name: string;
  division: string;
  value: number | null;
  target: number | null;
  met: boolean | null;
  unit: string;
  direction: string;
  sample: number;
  trend: { from: string; to: string; value: number | null }[];
  records?: { numerator_ids: string[]; denominator_ids: string[]; truncated: boolean };
}


function Trend(props: { k: Kpi }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const pts = [...props.k.trend].reverse();
    const xs = pts.map((p) => Date.parse(p.to) / 1000);
    const ys = pts.map((p) => p.value);
    if (!el.current || xs.length < 2) return;
    const plot = new uPlot(
      {
        width: 220,
        height: 80,
        legend: { show: false },
        cursor: { show: false },
        axes: [{ show: false }, { show: false }],
        series: [{}, { stroke: '#1d5fa8', width: 2, spanGaps: true }],
      },
      [xs, ys as number[]],
      el.current,
    );
    return () => plot.destroy();
  }, [props.k]);
  return <div ref={el} class="trend" role="img" aria-label={`${props.k.name} trend: ${props.k.trend.map((t) => kpiValue(t.value, props.k.unit)).reverse().join(', ')}`} />;
}

export function Kpis(props: { user: User }) {
  const [division, setDivision] = useState(props.user.division || '');
  const [open, setOpen] = useState('');
  const path = '/api/v1/kpi' + qs({ division });
  const r = useApi<{ from: string; to: string; kpis: Kpi[] }>(path);
  return (
    <section>
      <h1>KPIs</h1>
      <label for="kpi-division">Division</label>
      <select id="kpi-division" value={division} onChange={(e) => setDivision((e.target as HTMLSelectElement).value)}>
        <option value="">All divisions</option>
        {['Motors', 'Power & Industrial', 'Medical', 'GRAS', 'Cube 65'].map((d) => (
          <option>{d}</option>
        ))}
      </select>
      <Load r={r} what="KPIs" path={path}>
        {(d) => (
          <>
            <p class="muted">
              {d.from} to {d.to}
            </p>
            <div class="scroll" tabIndex={0}>
              <table class="kpis">
                <thead>
                  <tr>
                    <th scope="col">Division</th>
                    <th scope="col">KPI</th>
                    <th scope="col">Value</th>
                    <th scope="col">Target</th>
                    <th scope="col">Met</th>
                    <th scope="col">Trend</th>
                  </tr>
                </thead>
                <tbody>
                  {d.kpis.map((k) => {
                    const id = k.division + '/' + k.key;
                    return (
                      <>
                        <tr>
                          <td>{k.division}</td>
                          <td>
                            <button type="button" class="linkish" aria-expanded={open === id} onClick={() => setOpen(open === id ? '' : id)}>
                              {k.name}
                            </button>
                          </td>
                          <td>{kpiValue(k.value, k.unit)}</td>
                          <td>{kpiValue(k.target, k.unit)}</td>
                          <td>{k.met === null ? '—' : k.met ? '✓ met' : '✗ not met'}</td>
                          <td>
                            <Trend k={k} />
                          </td>
                        </tr>
                        {open === id && k.records && (
                          <tr>
                            <td colSpan={6} class="drill">
                              Counted ({k.records.numerator_ids.length}):{' '}
                              {k.records.numerator_ids.map((x) => (
                                <>
                                  <RecordLink id={x} />{' '}
                                </>
                              ))}
                              <br />
                              Out of ({k.records.denominator_ids.length}):{' '}
                              {k.records.denominator_ids.map((x) => (
                                <>
                                  <RecordLink id={x} />{' '}
                                </>
                              ))}
                              {k.records.truncated ? ' …' : ''}
                            </td>
                          </tr>
                        )}
                      </>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Load>
    </section>
  );
}
