// Pipeline: a board per division with the journey's stages; an opportunity moves one stage
// with the keyboard (buttons) and the hub enforces the stage's checklist, its refusal shown
// as given. Reads /api/v1/opportunities; moves with PATCH /api/v1/opportunities/{id}.
import { useState } from 'preact/hooks';
import { ApiError, qs, request, type User } from '../api';
import { listIn } from './accounts';
import { Load, RecordLink, useApi } from '../ui';

const DIVISIONS = ['Motors', 'Power & Industrial', 'Medical', 'GRAS', 'Cube 65'];

interface Opportunity {
  id: string;
  account_id: string;
  account_name?: string;
  division: string;
  stage: string;
  owner: string;
  value?: number;
  stages?: string[];
}

export function Pipeline(props: { user: User }) {
  const [division, setDivision] = useState(props.user.division || DIVISIONS[0]);
  const [message, setMessage] = useState('');
  const path = '/api/v1/opportunities' + qs({ division });
  const r = useApi<any>(path);

  async function move(o: Opportunity, stage: string) {
    setMessage('');
    try {
      const cur = await request('GET', `/api/v1/opportunities/${encodeURIComponent(o.id)}`);
      await request('PATCH', `/api/v1/opportunities/${encodeURIComponent(o.id)}`, { stage }, { 'If-Match': cur.headers.get('ETag') || '' });
      setMessage(`${o.id} moved to ${stage}.`);
      r.reload();
    } catch (e) {
      const x = e as ApiError;
      const fields = x.body.fields ? Object.values(x.body.fields).join('; ') : '';
      setMessage(`${o.id} not moved: ${x.message}${fields ? ' — ' + fields : ''}`);
    }
  }

  return (
    <section>
      <h1>Pipeline</h1>
      <label for="pl-division">Division</label>
      <select id="pl-division" value={division} onChange={(e) => setDivision((e.target as HTMLSelectElement).value)}>
        {DIVISIONS.map((d) => (
          <option>{d}</option>
        ))}
      </select>
      {message && (
        <p class="notice" role="status">
          {message}
        </p>
      )}
      <Load r={r} what="opportunities" path={path}>
        {(d) => {
          const list: Opportunity[] = listIn(d);
          const stages: string[] = d.stages || [...new Set(list.map((o) => o.stage))];
          return (
            <div class="board">
              {stages.map((s, i) => (
                <section class="column" aria-label={`Stage ${s}`}>
                  <h2>{s}</h2>
                  <ul>
                    {list
                      .filter((o) => o.stage === s)
                      .map((o) => (
                        <li class="card">
                          <RecordLink id={o.id} /> <RecordLink id={o.account_id} />
                          <div class="small">{o.account_name || ''}</div>
                          <div class="small muted">{o.owner}</div>
                          {i + 1 < stages.length && (
                            <button type="button" onClick={() => void move(o, stages[i + 1])}>
                              Move to {stages[i + 1]}
                            </button>
                          )}
                        </li>
                      ))}
                  </ul>
                </section>
              ))}
            </div>
          );
        }}
      </Load>
    </section>
  );
}
