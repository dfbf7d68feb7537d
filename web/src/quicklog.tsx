// The quick-log: `n` from any screen opens it with the cursor in Contact. Search-as-you-type
// finds the contact (typos forgiven, by name, company, phone or email; offline, among the
// contacts seen before); Enter takes the first suggestion and moves on; Ctrl+Enter saves;
// Esc closes. A practised user logs a call with n, Enter, Tab, Ctrl+Enter plus the search
// and the notes.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, type Match, qs, request, type User } from './api';
import { rememberContacts, seenContacts, submit } from './outbox';

export const CHANNELS = ['phone', 'whatsapp', 'email', 'visit', 'meeting', 'walk-in', 'web', 'other'];
const CHANNEL_KEY = 'cxhub.channel';

export interface QuickLogInit {
  query?: string;
  notes?: string;
  channel?: string;
  pickSingle?: boolean; // take the contact when the search finds exactly one (share target)
}

interface Suggestion {
  id: string;
  name: string;
  account_id?: string;
  account_name?: string;
}

// Lower case, no accents, no punctuation: how names are compared offline.
function norm(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9@.+ ]/g, ' ')
    .trim();
}

// Whether `a` is within one typo (a letter wrong, missing, extra, or two swapped) of the
// start of `b`: what was typed so far may be a prefix of the name.
function nearPrefix(a: string, b: string): boolean {
  if (b.startsWith(a)) return true;
  if (a.length < 4) return false;
  const t = b.slice(0, a.length + 1);
  // Optimal string alignment distance between a and each prefix of t.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = a[i - 1] === t[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === t[j - 2] && a[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return Math.min(...d[a.length].slice(Math.max(1, a.length - 1))) <= 1;
}

async function searchOffline(q: string): Promise<Suggestion[]> {
  const words = norm(q).split(/\s+/).filter(Boolean);
  const all = await seenContacts();
  return all
    .filter((c) => {
      const hay = norm(`${c.name} ${c.account_name || ''}`).split(/\s+/);
      return words.every((w) => hay.some((h) => nearPrefix(w, h)));
    })
    .sort((a, b) => b.seen - a.seen)
    .slice(0, 8);
}

async function searchContacts(q: string): Promise<Suggestion[]> {
  try {
    const r = await get<{ results: Match[] }>('/api/v1/search' + qs({ q, limit: 12 }));
    const list = r.results
      .filter((m) => m.kind === 'contact')
      .slice(0, 8)
      .map((m) => ({ id: m.id, name: m.name, account_id: m.account_id, account_name: m.account_name }));
    void rememberContacts(list.map((c) => ({ ...c, seen: Date.now() }))).catch(() => {});
    return list;
  } catch (e) {
    if (e instanceof ApiError && e.offline) return searchOffline(q);
    throw e;
  }
}

// Tomorrow (or Monday after a Friday or weekend) at 09:00, written as the hub reads it.
function nextWorkingMorning(now = new Date()): string {
  const d = new Date(now);
  d.setDate(d.getDate() + 1);
  while (d.getDay() === 0 || d.getDay() === 6) d.setDate(d.getDate() + 1);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} 09:00`;
}

// The forms the hub reads (ISO or day-first, with an optional time): checked here so that a
// slip is caught before the call waits offline; the hub checks the date itself.
const DUE_FORM = /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4})([ T]\d{1,2}:\d{2}(:\d{2})?)?$/;

export function QuickLog(props: { user: User; init: QuickLogInit; onClose: () => void }) {
  const [query, setQuery] = useState(props.init.query || '');
  const [chosen, setChosen] = useState<Suggestion | null>(null);
  const [list, setList] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(0);
  const [searchNote, setSearchNote] = useState('');
  const [channel, setChannel] = useState(
    props.init.channel || localStorage.getItem(CHANNEL_KEY) || 'phone',
  );
  const [notes, setNotes] = useState(props.init.notes || '');
  const [nextAction, setNextAction] = useState('');
  const [due, setDue] = useState(nextWorkingMorning());
  const [problem, setProblem] = useState('');
  const [creating, setCreating] = useState(false);
  const contactRef = useRef<HTMLInputElement>(null);
  const channelRef = useRef<HTMLSelectElement>(null);
  // Enter pressed before any suggestion arrived: the first one to arrive is taken.
  const wantPick = useRef(false);
  const seq = useRef(0);

  // Focused before the next key event arrives, so nothing typed right after `n` is lost.
  useLayoutEffect(() => contactRef.current?.focus(), []);

  // Search as the user types (debounced); only the latest search's answer is shown.
  useEffect(() => {
    if (chosen && chosen.name === query) return;
    const q = query.trim();
    if (q.length < 2) {
      setList([]);
      wantPick.current = false;
      return;
    }
    const my = ++seq.current;
    const t = setTimeout(() => {
      searchContacts(q).then(
        (s) => {
          if (my !== seq.current) return;
          setList(s);
          setActive(0);
          setSearchNote(s.length ? '' : `No contact matches “${q}”.`);
          if (wantPick.current && s.length) pick(s[0]);
          else if (props.init.pickSingle && s.length === 1 && q === props.init.query) pick(s[0], false);
          wantPick.current = false;
        },
        (e: ApiError) => {
          if (my === seq.current) setSearchNote('Search failed: ' + e.message);
          wantPick.current = false;
        },
      );
    }, 120);
    return () => clearTimeout(t);
  }, [query]);

  function pick(s: Suggestion, move = true) {
    setChosen(s);
    setQuery(s.name);
    setList([]);
    setProblem('');
    if (move) channelRef.current?.focus();
  }

  async function save() {
    if (!chosen) {
      setProblem('Pick a contact first: type a name, company, phone or email, then Enter.');
      contactRef.current?.focus();
      return;
    }
    const dueText = due.trim();
    if (nextAction.trim() && dueText && !DUE_FORM.test(dueText)) {
      setProblem('Due: write the date as YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM.');
      return;
    }
    localStorage.setItem(CHANNEL_KEY, channel);
    await submit({
      contact_id: chosen.id,
      contact_name: chosen.name,
      account_id: chosen.account_id,
      account_name: chosen.account_name,
      channel,
      notes,
      next_action: nextAction.trim(),
      due: nextAction.trim() ? dueText : '',
      date: new Date().toISOString(),
    });
    props.onClose();
  }

  // Esc and Ctrl+Enter work wherever the focus is while the quick-log is open (a button
  // that disappears after a click leaves the focus on the page's body).
  const onKeyRef = useRef<(ev: KeyboardEvent) => void>(() => {});
  onKeyRef.current = onKey;
  // Registered before the next key event can arrive (an Esc right after `n`).
  useLayoutEffect(() => {
    const f = (ev: KeyboardEvent) => onKeyRef.current(ev);
    addEventListener('keydown', f);
    return () => removeEventListener('keydown', f);
  }, []);

  const dialogRef = useRef<HTMLDivElement>(null);

  function onKey(ev: KeyboardEvent) {
    if (ev.key === 'Tab' && dialogRef.current) {
      // Tab stays inside the dialog (it is modal): from the last field to the first, and back.
      const all = Array.from(
        dialogRef.current.querySelectorAll<HTMLElement>('input, select, textarea, button:not([disabled])'),
      );
      const i = all.indexOf(document.activeElement as HTMLElement);
      if (ev.shiftKey && i <= 0) {
        ev.preventDefault();
        all[all.length - 1]?.focus();
      } else if (!ev.shiftKey && (i === all.length - 1 || i < 0)) {
        ev.preventDefault();
        all[0]?.focus();
      }
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      props.onClose();
    } else if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      void save();
    }
  }

  function onContactKey(ev: KeyboardEvent) {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      const n = list.length;
      if (n) setActive((a) => (a + (ev.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (ev.key === 'Enter' && !ev.ctrlKey && !ev.metaKey) {
      ev.preventDefault();
      if (chosen && chosen.name === query) {
        channelRef.current?.focus();
        return;
      }
      if (list.length) pick(list[Math.min(active, list.length - 1)]);
      else if (query.trim().length >= 2) wantPick.current = true;
    }
  }

  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="ql-title" ref={dialogRef}>
        <h2 id="ql-title">Log an interaction</h2>
        <p class="muted small">
          By {props.user.name || props.user.login}, now · <kbd>Enter</kbd> picks · <kbd>Ctrl</kbd>+<kbd>Enter</kbd>{' '}
          saves · <kbd>Esc</kbd> closes
        </p>
        <div class="field">
          <label for="ql-contact">Contact</label>
          <input
            id="ql-contact"
            ref={contactRef}
            role="combobox"
            autocomplete="off"
            aria-autocomplete="list"
            aria-expanded={list.length > 0}
            aria-controls="ql-suggestions"
            aria-activedescendant={list.length ? `ql-s-${active}` : undefined}
            placeholder="name, company, phone or email"
            value={query}
            onInput={(e) => {
              setQuery((e.target as HTMLInputElement).value);
              setChosen(null);
            }}
            onKeyDown={onContactKey}
          />
          {chosen && (
            <p class="chosen" aria-live="polite">
              {chosen.name}
              {chosen.account_name ? ` · ${chosen.account_name}` : ''} <span class="muted">({chosen.id})</span>
            </p>
          )}
          <ul id="ql-suggestions" role="listbox" aria-label="Suggestions" class="suggestions">
            {list.map((s, i) => (
              <li
                id={`ql-s-${i}`}
                role="option"
                aria-selected={i === active}
                class={i === active ? 'active' : ''}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(s);
                }}
              >
                <span class="name">{s.name}</span> <span class="company">{s.account_name || ''}</span>
              </li>
            ))}
          </ul>
          {!chosen && searchNote && (
            <p class="muted small" role="status">
              {searchNote}{' '}
              <button type="button" class="linkish" onClick={() => setCreating(true)}>
                New contact…
              </button>
            </p>
          )}
          {creating && (
            <NewContact
              name={query}
              onDone={(s) => {
                setCreating(false);
                if (s) pick(s);
              }}
            />
          )}
        </div>
        <div class="field">
          <label for="ql-channel">Channel</label>
          <select id="ql-channel" ref={channelRef} value={channel} onChange={(e) => setChannel((e.target as HTMLSelectElement).value)}>
            {CHANNELS.map((c) => (
              <option value={c}>{c}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="ql-notes">Notes</label>
          <textarea id="ql-notes" rows={3} value={notes} onInput={(e) => setNotes((e.target as HTMLTextAreaElement).value)} />
        </div>
        <div class="row">
          <div class="field grow">
            <label for="ql-next">Next action</label>
            <input
              id="ql-next"
              placeholder="e.g. send the quote"
              value={nextAction}
              onInput={(e) => setNextAction((e.target as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for="ql-due">Due</label>
            <input
              id="ql-due"
              placeholder="YYYY-MM-DD HH:MM"
              value={due}
              onInput={(e) => setDue((e.target as HTMLInputElement).value)}
            />
          </div>
        </div>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <div class="actions">
          <button type="button" class="primary" onClick={() => void save()}>
            Save <kbd>Ctrl+Enter</kbd>
          </button>
          <button type="button" onClick={props.onClose}>
            Close <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </div>
  );
}

// Search first: a new contact is checked against the hub, which answers 409 with the
// probable matches; the user takes one of them or creates anyway with a reason.
function NewContact(props: { name: string; onDone: (s: Suggestion | null) => void }) {
  const [name, setName] = useState(props.name);
  const [account, setAccount] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [matches, setMatches] = useState<Match[]>([]);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');

  async function create(force: boolean) {
    setProblem('');
    const body: Record<string, unknown> = { full_name: name, account_id: account || undefined, phone, email };
    if (force) Object.assign(body, { force: true, reason });
    try {
      const r = await request<{ id: string; full_name: string; account_id: string }>('POST', '/api/v1/contacts', body);
      props.onDone({ id: r.data.id, name: r.data.full_name, account_id: r.data.account_id });
    } catch (e) {
      const x = e as ApiError;
      if (x.status === 409 && x.body.matches) setMatches(x.body.matches);
      else setProblem(x.message);
    }
  }

  return (
    <fieldset class="newcontact">
      <legend>New contact (the hub checks for one that exists first)</legend>
      <label for="nc-name">Full name</label>
      <input id="nc-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      <label for="nc-account">Account id</label>
      <input id="nc-account" placeholder="A-000123" value={account} onInput={(e) => setAccount((e.target as HTMLInputElement).value)} />
      <label for="nc-phone">Phone</label>
      <input id="nc-phone" type="tel" value={phone} onInput={(e) => setPhone((e.target as HTMLInputElement).value)} />
      <label for="nc-email">Email</label>
      <input id="nc-email" type="email" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
      {matches.length > 0 && (
        <div role="alert">
          <p>This contact probably exists already:</p>
          <ul class="matches">
            {matches.map((m) => (
              <li>
                <button type="button" onClick={() => props.onDone({ id: m.id, name: m.name })}>
                  Use {m.name} ({m.id})
                </button>{' '}
                <span class="muted small">{m.why}</span>
              </li>
            ))}
          </ul>
          <label for="nc-reason">Reason to create it anyway</label>
          <input id="nc-reason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
        </div>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="actions">
        {matches.length === 0 ? (
          <button type="button" onClick={() => void create(false)}>
            Create contact
          </button>
        ) : (
          <button type="button" disabled={!reason.trim()} onClick={() => void create(true)}>
            Create anyway
          </button>
        )}
        <button type="button" onClick={() => props.onDone(null)}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
