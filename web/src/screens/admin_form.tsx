// What the Admin screen's forms share: a labelled field that shows the hub's problem with it
// beside it (the `fields` of an error answer, docs/api.md), and the rules table of roles
// (GET /api/v1/roles) that decides which controls a role sees.
import type { ComponentChildren } from 'preact';
import { ApiError, type User } from '../api';
import { useApi } from '../ui';

export interface RoleRule {
  role: string;
  division_bound: boolean;
  may: Record<string, string>; // what the role may do → "all" or "own divisions"
}
export interface Roles {
  roles: RoleRule[];
  divisions: string[];
}

export const ROLES = '/api/v1/roles';
export const useRoles = () => useApi<Roles>(ROLES);

// Whether `user`'s role may do `what` (the rules table's name: "manage users", "set KPI targets").
export function may(roles: Roles | undefined, user: User, what: string): boolean {
  return !!roles?.roles.find((r) => r.role === user.role)?.may[what];
}

// Field name → the hub's problem with it; a problem that names no field of the form is
// `general`.
export interface Problems {
  fields: Record<string, string>;
  general: string;
}
export const NO_PROBLEMS: Problems = { fields: {}, general: '' };

export function problemsOf(e: unknown, names: string[]): Problems {
  const x = e as ApiError;
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(x.body?.fields || {})) if (names.includes(k)) fields[k] = v;
  const named = Object.keys(fields).length > 0;
  // A message that lists the field problems says nothing more: each is beside its field.
  return { fields, general: named ? '' : x.message || 'the hub refused it' };
}

// A label, its control (given as the child, with id `id`) and the problem beside it.
export function Field(props: { id: string; label: string; problem?: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p class="small muted hint" id={props.id + '-hint'}>
          {props.hint}
        </p>
      )}
      {props.problem && (
        <p class="small error" id={props.id + '-problem'} role="alert">
          {props.problem}
        </p>
      )}
    </div>
  );
}

// The aria attributes that tie a control to its hint and problem.
export function described(id: string, problem?: string, hint?: string) {
  const ids = [hint ? id + '-hint' : '', problem ? id + '-problem' : ''].filter(Boolean).join(' ');
  return { id, 'aria-invalid': problem ? ('true' as const) : undefined, 'aria-describedby': ids || undefined };
}
