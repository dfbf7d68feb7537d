// What the quick-log saves goes through this outbox: written to IndexedDB first (so a closed
// tab or a lost network loses nothing), then sent with its own Idempotency-Key (so a retry
// after a lost answer creates nothing twice). The page shows each entry at once and then
// confirms it, keeps it waiting (offline), or rolls it back with the hub's reason.
import { ApiError, request } from './api';

export interface Draft {
  contact_id: string;
  contact_name: string;
  account_id?: string;
  account_name?: string;
  channel: string;
  notes: string;
  next_action: string;
  due: string; // as typed (the hub's wall-clock time, ISO or day-first), or ""
  date: string; // when it was typed (ISO, UTC)
}

export type EntryState = 'saving' | 'waiting' | 'saved' | 'failed';

export interface Entry {
  key: string; // the Idempotency-Key
  draft: Draft;
  state: EntryState;
  id?: string; // the interaction's id once saved
  reason?: string; // why it waits or failed
  savedAt?: number; // when the hub confirmed it (ms)
  dismissed?: boolean; // the user has read the refusal
}

const DB_NAME = 'cxhub';
let dbPromise: Promise<IDBDatabase> | null = null;

function db(): Promise<IDBDatabase> {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const open = indexedDB.open(DB_NAME, 1);
      open.onupgradeneeded = () => {
        open.result.createObjectStore('outbox', { keyPath: 'key' });
        open.result.createObjectStore('contacts', { keyPath: 'id' });
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }
  return dbPromise;
}

export async function idb<T>(
  store: string,
  mode: IDBTransactionMode,
  fn: (s: IDBObjectStore) => IDBRequest | void,
): Promise<T> {
  const d = await db();
  return new Promise((resolve, reject) => {
    const tx = d.transaction(store, mode);
    const req = fn(tx.objectStore(store));
    tx.oncomplete = () => resolve(req ? (req.result as T) : (undefined as T));
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

// This page's entries, newest first (those waiting from earlier visits are loaded at start).
let entries: Entry[] = [];
const listeners = new Set<() => void>();
const inFlight = new Set<string>();
let retryTimer = 0;

export function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
export const recent = () => entries;
// Hides a refused entry from the top of the page (My queue still lists it).
export function dismiss(key: string) {
  const e = entries.find((x) => x.key === key);
  if (e) changed({ ...e, dismissed: true });
}
export const waiting = () => entries.filter((e) => e.state === 'waiting' || e.state === 'saving');

function changed(e?: Entry) {
  if (e) entries = entries.map((x) => (x.key === e.key ? { ...e } : x));
  for (const fn of listeners) fn();
}

function newKey(): string {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// Queues one interaction and starts sending it. Resolves once it is safely in IndexedDB.
export async function submit(draft: Draft): Promise<Entry> {
  const e: Entry = { key: newKey(), draft, state: 'saving' };
  entries = [e, ...entries];
  changed();
  await idb('outbox', 'readwrite', (s) => s.put(e));
  void send(e);
  return e;
}

async function send(e: Entry) {
  if (inFlight.has(e.key)) return;
  inFlight.add(e.key);
  const { contact_id, channel, notes, next_action, due, date } = e.draft;
  const body: Record<string, string> = { contact_id, channel, notes, date };
  if (next_action) {
    body.next_action = next_action;
    if (due) body.due = due;
  }
  try {
    const a = await request<{ id: string }>('POST', '/api/v1/interactions', body, {
      'Idempotency-Key': e.key,
    });
    e.state = 'saved';
    e.savedAt = Date.now();
    e.id = a.data.id;
    e.reason = undefined;
    await idb('outbox', 'readwrite', (s) => s.delete(e.key));
  } catch (err) {
    const x = err instanceof ApiError ? err : new ApiError(0, { code: 'offline', message: String(err) });
    // Kept for later: no network, the server failing, a first attempt still running, or a
    // session to renew. Anything else is the hub's refusal: rolled back with its reason.
    const retry =
      x.offline || x.status >= 500 || x.status === 401 || x.body.code === 'csrf' || x.body.code === 'in_progress';
    if (retry) {
      e.state = 'waiting';
      e.reason = x.offline
        ? 'offline: sent when the network returns'
        : x.status === 401 || x.body.code === 'csrf'
          ? 'sign in again to send it'
          : x.message;
      scheduleRetry();
    } else {
      e.state = 'failed';
      const fields = x.body.fields ? Object.entries(x.body.fields).map(([k, v]) => `${k} ${v}`) : [];
      e.reason = fields.length ? fields.join('; ') : x.message;
      await idb('outbox', 'readwrite', (s) => s.delete(e.key));
    }
  } finally {
    inFlight.delete(e.key);
    changed(e);
  }
}

function scheduleRetry() {
  if (retryTimer) return;
  retryTimer = window.setTimeout(() => {
    retryTimer = 0;
    void flush();
  }, 5000);
}

// Sends everything still waiting in IndexedDB (this visit's and earlier ones').
export async function flush() {
  const stored = await idb<Entry[]>('outbox', 'readonly', (s) => s.getAll());
  for (const s of stored) {
    let e = entries.find((x) => x.key === s.key);
    if (!e) {
      e = { ...s, state: 'waiting' };
      entries = [...entries, e];
      changed();
    }
    if (!inFlight.has(e.key)) await send(e);
  }
}

export function startOutbox() {
  window.addEventListener('online', () => void flush());
  void flush();
}

// Contacts seen in search results, kept so that the quick-log finds them offline too.
export interface SeenContact {
  id: string;
  name: string;
  account_id?: string;
  account_name?: string;
  seen: number;
}

export async function rememberContacts(list: SeenContact[]) {
  if (!list.length) return;
  await idb('contacts', 'readwrite', (s) => {
    for (const c of list) s.put(c);
  });
}

export async function seenContacts(): Promise<SeenContact[]> {
  return idb<SeenContact[]>('contacts', 'readonly', (s) => s.getAll());
}
