// Users and roles on the Admin screen: the list, and for a role the rules table lets manage
// users (GET /api/v1/roles) adding a user, changing a role or division (PATCH with If-Match:
// an edit made on a stale copy is refused, never written over someone else's), disabling,
// enabling and setting a new password. The hub checks every one of them again.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, request, type User } from '../api';
import { Load, useApi } from '../ui';
import { described, Field, may, NO_PROBLEMS, type Problems, problemsOf, type Roles } from './admin_form';

export interface UserRow {
  login: string;
  name: string;
  role: string;
  division: string;
  away: boolean;
  disabled: boolean;
}

const USERS = '/api/v1/users';
const userPath = (login: string) => `${USERS}/${encodeURIComponent(login)}`;
const value = (e: Event) => (e.target as HTMLInputElement).value;

function divisionHint(roles: Roles, role: string): string {
  return roles.roles.find((r) => r.role === role)?.division_bound
    ? `A ${role}'s rights reach only records of this division; empty: every division.`
    : 'Their team: screens start with it. The role’s rights do not depend on it.';
}

// Role and division selects, with the problems the hub named.
function RoleFields(props: {
  prefix: string;
  roles: Roles;
  role: string;
  division: string;
  problems: Problems;
  onRole: (r: string) => void;
  onDivision: (d: string) => void;
}) {
  const p = props.prefix;
  const f = props.problems.fields;
  return (
    <div class="row">
      <Field id={p + '-role'} label="Role" problem={f.role}>
        <select {...described(p + '-role', f.role)} value={props.role} onChange={(e) => props.onRole(value(e))}>
          {props.roles.roles.map((r) => (
            <option value={r.role}>{r.role}</option>
          ))}
        </select>
      </Field>
      <Field id={p + '-division'} label="Division" problem={f.division} hint={divisionHint(props.roles, props.role)}>
        <select
          {...described(p + '-division', f.division, 'hint')}
          value={props.division}
          onChange={(e) => props.onDivision(value(e))}
        >
          <option value="">All divisions</option>
          {props.roles.divisions.map((d) => (
            <option value={d}>{d}</option>
          ))}
        </select>
      </Field>
    </div>
  );
}

function AddUser(props: { roles: Roles; onAdded: (login: string) => void }) {
  const empty = { login: '', name: '', role: 'sales', division: '', password: '' };
  const [u, setU] = useState(empty);
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof empty) => (v: string) => setU((x) => ({ ...x, [k]: v }));
  async function add(e: Event) {
    e.preventDefault();
    setDone('');
    setProblems(NO_PROBLEMS);
    const login = u.login.trim();
    setBusy(true);
    try {
      // POST /users also updates a user of that login: adding must not change someone.
      const exists = await request('GET', userPath(login)).then(
        () => true,
        (x: ApiError) => (x.status === 404 ? false : Promise.reject(x)),
      );
      if (login && exists) {
        setProblems({ fields: { login: `${login} exists already: change them in the list above` }, general: '' });
        return;
      }
      const body: Record<string, string> = { login, name: u.name.trim(), role: u.role, division: u.division };
      if (u.password) body.password = u.password;
      const r = await request<UserRow>('POST', USERS, body);
      setU(empty); // the password goes with the form: never kept, never shown
      setDone(`Added ${r.data.login} (${r.data.name}) as ${r.data.role}${u.password ? '; they can sign in with the password you gave' : '; without a password they cannot sign in'}.`);
      props.onAdded(r.data.login);
    } catch (x) {
      setProblems(problemsOf(x, ['login', 'name', 'role', 'division', 'password']));
    } finally {
      setBusy(false);
    }
  }
  const f = problems.fields;
  return (
    <form class="adminform" onSubmit={(e) => void add(e)} aria-labelledby="add-user-h">
      <h3 id="add-user-h">Add a user</h3>
      <div class="row">
        <Field id="nu-login" label="Login" problem={f.login} hint="letters, digits, '.', '_' and '-' (adaeze.m)">
          <input {...described('nu-login', f.login, 'hint')} autocomplete="off" required value={u.login} onInput={(e) => set('login')(value(e))} />
        </Field>
        <Field id="nu-name" label="Full name" problem={f.name}>
          <input {...described('nu-name', f.name)} autocomplete="off" value={u.name} onInput={(e) => set('name')(value(e))} />
        </Field>
      </div>
      <RoleFields prefix="nu" roles={props.roles} role={u.role} division={u.division} problems={problems} onRole={set('role')} onDivision={set('division')} />
      <Field id="nu-password" label="Initial password" problem={f.password} hint="8 characters or more; tell it to them, they sign in with it">
        <input
          {...described('nu-password', f.password, 'hint')}
          type="password"
          autocomplete="new-password"
          value={u.password}
          onInput={(e) => set('password')(value(e))}
        />
      </Field>
      {problems.general && (
        <p class="error" role="alert">
          Not added: {problems.general}
        </p>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !u.login.trim()}>
          Add user
        </button>
      </div>
      {done && <p role="status">{done}</p>}
    </form>
  );
}

// One user's editor: role, division and name (with the ETag read when it opened), disable or
// enable, a new password.
function EditUser(props: { login: string; roles: Roles; me: User; onChanged: () => void; onClose: () => void }) {
  const [read, setRead] = useState<{ u: UserRow; etag: string } | null>(null);
  const [draft, setDraft] = useState({ name: '', role: '', division: '' });
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS);
  const [stale, setStale] = useState(false);
  const [said, setSaid] = useState('');
  const [password, setPassword] = useState('');
  const [pwProblem, setPwProblem] = useState('');
  const [n, setN] = useState(0);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => {
    let live = true;
    request<UserRow>('GET', userPath(props.login)).then(
      (a) => {
        if (!live) return;
        setRead({ u: a.data, etag: a.headers.get('ETag') || '' });
        setDraft({ name: a.data.name, role: a.data.role, division: a.data.division });
        setStale(false);
      },
      (x: ApiError) => live && setProblems({ fields: {}, general: x.message }),
    );
    return () => {
      live = false;
    };
  }, [props.login, n]);
  useEffect(() => {
    if (read && n === 0) first.current?.focus();
  }, [!!read]);
  async function save(e: Event) {
    e.preventDefault();
    if (!read) return;
    setSaid('');
    setProblems(NO_PROBLEMS);
    try {
      const a = await request<UserRow>(
        'PATCH',
        userPath(props.login),
        { name: draft.name.trim(), role: draft.role, division: draft.division },
        { 'If-Match': read.etag },
      );
      setRead({ u: a.data, etag: a.headers.get('ETag') || '' });
      setSaid(`Saved: ${a.data.login} is ${a.data.role}${a.data.division ? ' of ' + a.data.division : ''}, from their next request.`);
      props.onChanged();
    } catch (x) {
      const err = x as ApiError;
      if (err.status === 412) setStale(true);
      else setProblems(problemsOf(x, ['name', 'role', 'division']));
    }
  }
  async function setDisabled(disabled: boolean) {
    setSaid('');
    try {
      await request('POST', userPath(props.login) + (disabled ? '/disable' : '/enable'));
      setSaid(disabled ? `${props.login} is disabled: their sessions ended and they cannot sign in.` : `${props.login} can sign in again.`);
      setN((x) => x + 1);
      props.onChanged();
    } catch (x) {
      setProblems({ fields: {}, general: (x as ApiError).message });
    }
  }
  async function newPassword(e: Event) {
    e.preventDefault();
    setSaid('');
    setPwProblem('');
    try {
      await request('POST', userPath(props.login) + '/password', { password });
      setPassword('');
      setSaid(`New password set for ${props.login}; their sessions ended.`);
    } catch (x) {
      const p = problemsOf(x, ['password']);
      setPwProblem(p.fields.password || p.general);
    }
  }
  const f = problems.fields;
  const id = 'eu-' + props.login.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <div class="adminform" role="group" aria-labelledby={id + '-h'}>
      <h3 id={id + '-h'}>Change {props.login}</h3>
      {!read && !problems.general && <p class="muted" role="status">Reading {props.login}…</p>}
      {read && (
        <form onSubmit={(e) => void save(e)}>
          <Field id={id + '-name'} label="Full name" problem={f.name}>
            <input ref={first} {...described(id + '-name', f.name)} value={draft.name} onInput={(e) => setDraft((d) => ({ ...d, name: value(e) }))} />
          </Field>
          <RoleFields
            prefix={id}
            roles={props.roles}
            role={draft.role}
            division={draft.division}
            problems={problems}
            onRole={(role) => setDraft((d) => ({ ...d, role }))}
            onDivision={(division) => setDraft((d) => ({ ...d, division }))}
          />
          {stale && (
            <p class="error" role="alert">
              Not saved: {props.login} was changed by someone else since you opened it.{' '}
              <button type="button" class="linkish" onClick={() => setN((x) => x + 1)}>
                Reload
              </button>{' '}
              (their version, to make the change again)
            </p>
          )}
          <div class="actions">
            <button type="submit" class="primary">
              Save role and division
            </button>
            {read.u.login !== props.me.login &&
              (read.u.disabled ? (
                <button type="button" onClick={() => void setDisabled(false)}>
                  Enable {props.login}
                </button>
              ) : (
                <button type="button" onClick={() => void setDisabled(true)}>
                  Disable {props.login}
                </button>
              ))}
            <button type="button" onClick={props.onClose}>
              Close
            </button>
          </div>
        </form>
      )}
      {problems.general && (
        <p class="error" role="alert">
          {problems.general}
        </p>
      )}
      {read && (
        <form onSubmit={(e) => void newPassword(e)}>
          <Field id={id + '-pw'} label="New password" problem={pwProblem} hint="8 characters or more; their sessions end">
            <input {...described(id + '-pw', pwProblem, 'hint')} type="password" autocomplete="new-password" value={password} onInput={(e) => setPassword(value(e))} />
          </Field>
          <div class="actions">
            <button type="submit" disabled={!password}>
              Set password
            </button>
          </div>
        </form>
      )}
      {said && <p role="status">{said}</p>}
    </div>
  );
}

export function Users(props: { me: User; roles: Roles | undefined }) {
  const r = useApi<{ users: UserRow[] }>(USERS);
  const [open, setOpen] = useState('');
  const manage = may(props.roles, props.me, 'manage users') && props.roles;
  // Closing an editor gives the keyboard back to the button that opened it.
  const close = (login: string) => {
    setOpen('');
    (document.querySelector(`table.users tr[data-login="${CSS.escape(login)}"] button`) as HTMLElement | null)?.focus();
  };
  return (
    <>
      <h2>Users and roles</h2>
      <Load r={r} what="users and roles" path={USERS}>
        {(d) => (
          <div class="scroll" tabIndex={0} role="region" aria-label="Users">
            <table class="users">
              <thead>
                <tr>
                  <th scope="col">Login</th>
                  <th scope="col">Full name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Division</th>
                  <th scope="col">Signs in</th>
                  {manage && <th scope="col">Change</th>}
                </tr>
              </thead>
              <tbody>
                {d.users.map((u) => (
                  <tr data-login={u.login}>
                    <td>{u.login}</td>
                    <td>{u.name}</td>
                    <td>{u.role}</td>
                    <td>{u.division || 'all'}</td>
                    <td>{u.disabled ? 'disabled' : 'yes'}</td>
                    {manage && (
                      <td>
                        <button type="button" class="linkish" aria-expanded={open === u.login} onClick={() => setOpen(open === u.login ? '' : u.login)}>
                          Change {u.login}
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
      {manage && open && <EditUser key={open} login={open} roles={manage} me={props.me} onChanged={r.reload} onClose={() => close(open)} />}
      {manage && <AddUser roles={manage} onAdded={r.reload} />}
    </>
  );
}
