// Names for record ids, so lists show people and companies rather than keys: a contact
// (C-…) with its account's name, an opportunity (O-…) or a case (K-…) by its account. The
// API's lists carry ids only; each id is read once per visit (GET /api/v1/contacts/{id},
// /opportunities/{id}, /cases/{id}, /accounts/{id}), a few at a time, and remembered.
import { useEffect, useState } from 'preact/hooks';
import { get } from './api';

export interface Named {
  name: string; // the contact's full name, the account's name, or an opportunity's title
  account_id?: string;
  account_name?: string;
}

const known = new Map<string, Promise<Named | null>>();
const MAX_AT_ONCE = 6; // a browser's connections to one host
let running = 0;
const queued: (() => void)[] = [];

async function limited<T>(f: () => Promise<T>): Promise<T> {
  if (running >= MAX_AT_ONCE) await new Promise<void>((go) => queued.push(go));
  running++;
  try {
    return await f();
  } finally {
    running--;
    queued.shift()?.();
  }
}

async function read(id: string): Promise<Named | null> {
  const path = (kind: string) => `/api/v1/${kind}/${encodeURIComponent(id)}`;
  if (id.startsWith('C-')) {
    const c = await limited(() => get<any>(path('contacts')));
    return { name: c.full_name, account_id: c.account_id || undefined, account_name: c.account_name || undefined };
  }
  if (id.startsWith('A-')) {
    const a = await limited(() => get<any>(path('accounts')));
    return { name: a.name };
  }
  if (id.startsWith('O-') || id.startsWith('K-')) {
    const r = await limited(() => get<any>(path(id.startsWith('O-') ? 'opportunities' : 'cases')));
    const acc = r.account_id ? await nameOf(r.account_id) : null;
    return { name: r.title || r.summary || r.kind || id, account_id: r.account_id || undefined, account_name: acc?.name };
  }
  return null;
}

// The name of a record (null when it has none or cannot be read: the id is shown instead).
export function nameOf(id: string): Promise<Named | null> {
  let p = known.get(id);
  if (!p) {
    p = read(id).catch(() => {
      known.delete(id); // read again next time (offline now, back later)
      return null;
    });
    known.set(id, p);
  }
  return p;
}

// The names of `ids`, filled in as they arrive (an id without a name yet is absent); answers
// that arrive close together are shown in one render.
export function useNames(ids: string[]): Record<string, Named> {
  const [names, setNames] = useState<Record<string, Named>>({});
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    let pending: Record<string, Named> = {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      const add = pending;
      pending = {};
      timer = undefined;
      if (live) setNames((m) => ({ ...m, ...add }));
    };
    for (const id of new Set(ids)) {
      void nameOf(id).then((n) => {
        if (!live || !n) return;
        pending[id] = n;
        if (!timer) timer = setTimeout(flush, 50);
      });
    }
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [key]);
  return names;
}
