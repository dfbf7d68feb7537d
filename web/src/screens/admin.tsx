// Admin: users and roles, KPI targets, the journeys and calendar (read-only: files), a
// workbook's preview and import, and the export. Which controls show follows the rules table
// (GET /api/v1/roles); the hub checks every change again.
import { useState } from 'preact/hooks';
import { ApiError, request, type User } from '../api';
import { JOURNEYS, type Sla, useJourneys } from '../journeys';
import { Load, Problem } from '../ui';
import { useRoles } from './admin_form';
import { Targets } from './admin_targets';
import { Users } from './admin_users';

// The journeys and the business calendar the hub runs on, read-only: they are configuration
// files, changed by an admin in the file and checked with `cxhub config check` (docs/journeys.md).
function Journeys() {
  const r = useJourneys();
  const sla = (x: Sla) => `${x.kind}: ${x.hours} ${x.business_hours ? 'business' : 'clock'} hours, stopped by ${x.stops}`;
  return (
    <>
      <h2>Journeys and calendar</h2>
      <p class="muted small">
        Read-only here: edit <code>journeys.toml</code> or <code>calendar.toml</code> in the hub's configuration folder
        (<code>$CXHUB_CONFIG_DIR</code>) and check the edited copy with <code>cxhub config check</code>.
      </p>
      <Load r={r} what="the journeys" path={JOURNEYS}>
        {(d) => (
          <>
            <ul class="journeys">
              {d.journeys.map((j) => (
                <li>
                  <h3>{j.division}</h3>
                  <p class="small">
                    {j.stages.map((st, i) => (
                      <>
                        {i ? ' → ' : ''}
                        {st.outcome === 'won' ? <strong>{st.name} (won)</strong> : st.name}
                      </>
                    ))}{' '}
                    · lost: {j.lost_stage}
                  </p>
                  {j.stages.flatMap((st) => [
                    ...st.checklists.map((c) => (
                      <p class="small">
                        <strong>{c.title || c.name}</strong> (before {st.name}):{' '}
                        {c.items.map((x) => x.label + (x.required ? '' : ' (optional)')).join('; ')}
                      </p>
                    )),
                    ...st.slas.map((x) => <p class="small">SLA {sla(x)}</p>),
                    ...st.next_actions.map((x) => (
                      <p class="small">
                        At {st.name}: next action “{x.action}”, due in {x.due_days} days
                      </p>
                    )),
                  ])}
                  {j.case_slas.map((x) => (
                    <p class="small">Case SLA {sla(x)}</p>
                  ))}
                </li>
              ))}
            </ul>
            {(d as any).calendar && <Calendar c={(d as any).calendar} />}
          </>
        )}
      </Load>
    </>
  );
}

function Calendar(props: { c: any }) {
  const c = props.c;
  const scalar = Object.entries(c).filter(([, v]) => v === null || typeof v !== 'object');
  const lists = Object.entries(c).filter(([, v]) => Array.isArray(v)) as [string, any[]][];
  const text = (v: any) => (v !== null && typeof v === 'object' ? Object.values(v).join(' ') : String(v));
  return (
    <>
      <h3>Business calendar</h3>
      <dl class="facts small">
        {scalar.map(([k, v]) => (
          <>
            <dt>{k.replace(/_/g, ' ')}</dt>
            <dd>{String(v ?? '—')}</dd>
          </>
        ))}
        {lists.map(([k, v]) => (
          <>
            <dt>{k.replace(/_/g, ' ')}</dt>
            <dd>{v.length ? v.map(text).join(', ') : '—'}</dd>
          </>
        ))}
      </dl>
    </>
  );
}

// "Sheet 'Interactions', row 2, column 'Date': 'x' is not a date" → its parts.
function placeOf(line: string): { sheet: string; row: string; column: string; problem: string } {
  const m = /^Sheet '([^']*)'(?:, row (\d+))?(?:, column '([^']*)')?: ([\s\S]*)$/.exec(line);
  return m ? { sheet: m[1], row: m[2] || '', column: m[3] || '', problem: m[4] } : { sheet: '', row: '', column: '', problem: line };
}

interface ImportSummary {
  dry_run: boolean;
  ok: boolean;
  error_count: number;
  errors: string[];
  warnings: string[];
  sheets: { sheet: string; created: number; updated: number; unchanged: number; skipped: number }[];
}

export function Admin(props: { user: User }) {
  const roles = useRoles();
  const [file, setFile] = useState<File | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function upload(dry: boolean) {
    if (!file) return;
    setProblem(null);
    setSummary(null);
    setBusy(true);
    const form = new FormData();
    form.append('file', file);
    form.append('dry_run', dry ? 'true' : 'false');
    try {
      setSummary((await request<ImportSummary>('POST', '/api/v1/workbook/import', form)).data);
    } catch (e) {
      const x = e as ApiError;
      if (x.raw && x.raw.summary) setSummary(x.raw.summary);
      else setProblem(x);
    } finally {
      setBusy(false);
    }
  }
  const errors = summary ? summary.errors.map(placeOf) : [];
  return (
    <section>
      <h1>Admin</h1>
      <Users me={props.user} roles={roles.data} />
      <Targets me={props.user} roles={roles.data} />
      <Journeys />
      <h2>Workbook import</h2>
      <label for="wb-file">Workbook (.xlsx)</label>
      <input id="wb-file" type="file" accept=".xlsx" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] || null)} />
      <div class="actions">
        <button type="button" disabled={!file || busy} onClick={() => void upload(true)}>
          Preview (nothing is written)
        </button>
        <button type="button" disabled={!file || busy} onClick={() => void upload(false)}>
          Import
        </button>
      </div>
      {problem && <Problem error={problem} what="workbook imports" path="/api/v1/workbook/import" />}
      {summary && (
        <div class="import" role={summary.ok ? 'status' : 'alert'}>
          <p class={summary.ok ? '' : 'error'}>
            {summary.dry_run ? 'Preview: ' : summary.ok ? 'Imported: ' : 'Import refused: '}
            {summary.ok
              ? summary.dry_run
                ? 'the workbook can be imported; nothing was written.'
                : 'every sheet is in the hub.'
              : `${summary.error_count} error${summary.error_count === 1 ? '' : 's'}, nothing was written.`}
          </p>
          {errors.length > 0 && (
            <div class="scroll" tabIndex={0} role="region" aria-label="Workbook errors">
              <table class="errors">
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
                      <td>{x.sheet}</td>
                      <td>{x.row}</td>
                      <td>{x.column}</td>
                      <td>{x.problem}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div class="scroll" tabIndex={0} role="region" aria-label="Rows per sheet">
            <table>
              <caption class="small">Rows per sheet{summary.ok && !summary.dry_run ? '' : ' (what an import would do)'}</caption>
              <thead>
                <tr>
                  <th scope="col">Sheet</th>
                  <th scope="col">New</th>
                  <th scope="col">Updated</th>
                  <th scope="col">Unchanged</th>
                  <th scope="col">Skipped</th>
                </tr>
              </thead>
              <tbody>
                {summary.sheets.map((x) => (
                  <tr>
                    <td>{x.sheet}</td>
                    <td>{x.created}</td>
                    <td>{x.updated}</td>
                    <td>{x.unchanged}</td>
                    <td>{x.skipped}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {summary.warnings.length > 0 && (
            <ul class="small">
              {summary.warnings.map((w) => (
                <li>{w}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <h2>Export</h2>
      <p>
        <a href="/api/v1/workbook" download="cxhub.xlsx">
          Download the hub as a workbook (.xlsx)
        </a>
      </p>
    </section>
  );
}
