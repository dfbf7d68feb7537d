// The page: login, the links to the screens, the quick-log from anywhere, and what is
// waiting to be sent. Screens are chosen by the path (/accounts, /queue, …); the server
// answers index.html for every path that is not the API's.
import './style.css';
import { type ComponentChildren, render } from 'preact';
import { lazy, Suspense } from 'preact/compat';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, logIn, logOut, savedUser, type User, whenSignedOut, whoAmI } from './api';
import { dismiss, type Entry, flush, recent, startOutbox, subscribe } from './outbox';
import { QuickLog, type QuickLogInit } from './quicklog';
import { AccountView, Accounts, ContactView } from './screens/accounts';
import { Queue } from './screens/queue';
import { Pipeline } from './screens/pipeline';
import { Review, Steward } from './screens/more';
import { go, Link } from './ui';

// The chart library is loaded only with the KPIs and Feedback screens; Strategy and Admin,
// seldom opened, when they are.
const Kpis = lazy(() => import('./screens/kpis').then((m) => ({ default: m.Kpis })));
const Feedback = lazy(() => import('./screens/feedback').then((m) => ({ default: m.Feedback })));
const Strategy = lazy(() => import('./screens/strategy').then((m) => ({ default: m.Strategy })));
const Admin = lazy(() => import('./screens/admin').then((m) => ({ default: m.Admin })));

function Later(props: { what: string; children: ComponentChildren }) {
  return <Suspense fallback={<p class="muted" role="status">Loading {props.what}…</p>}>{props.children}</Suspense>;
}

export const SCREENS: [string, string][] = [
  ['Accounts', '/accounts'],
  ['Pipeline', '/pipeline'],
  ['My queue', '/queue'],
  ['KPIs', '/kpis'],
  ['Review', '/review'],
  ['Steward', '/steward'],
  ['Feedback', '/feedback'],
  ['Strategy', '/strategy'],
  ['Admin', '/admin'],
];

function usePath(): string {
  const [path, setPath] = useState(location.pathname + location.search);
  useEffect(() => {
    const f = () => setPath(location.pathname + location.search);
    addEventListener('popstate', f);
    return () => removeEventListener('popstate', f);
  }, []);
  return path;
}

function Login(props: { onIn: (u: User) => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <main class="login">
      <h1>cxhub</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setProblem('');
          try {
            props.onIn(await logIn(login.trim(), password));
          } catch (x) {
            const err = x as ApiError;
            setProblem(err.status === 401 ? 'Wrong login or password.' : err.message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label for="login">Login</label>
        <input id="login" name="username" autocomplete="username" autofocus value={login} onInput={(e) => setLogin((e.target as HTMLInputElement).value)} />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <button class="primary" type="submit" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}

function useOutbox(): Entry[] {
  const [list, setList] = useState(recent());
  useEffect(() => subscribe(() => setList(recent())), []);
  return list;
}

const STATE_TEXT: Record<string, string> = {
  saving: 'saving…',
  waiting: 'waiting to be sent',
  saved: 'saved',
  failed: 'not saved',
};

// The entries of this visit: shown at once, then confirmed, waiting, or rolled back.
// Confirmed entries leave the top of the page after this long (My queue keeps them all).
const SHOW_SAVED_MS = 20000;

function Outbox(props: { entries: Entry[] }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(t);
  }, []);
  const shown = props.entries
    .filter((e) => (e.state === 'saved' ? now - (e.savedAt || 0) < SHOW_SAVED_MS : !e.dismissed))
    .slice(0, 3);
  const waiting = props.entries.filter((e) => e.state === 'waiting' || e.state === 'saving').length;
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const f = () => setOnline(navigator.onLine);
    addEventListener('online', f);
    addEventListener('offline', f);
    return () => {
      removeEventListener('online', f);
      removeEventListener('offline', f);
    };
  }, []);
  return (
    <section class="outbox" aria-label="Logged interactions" aria-live="polite">
      {!online && <p class="notice">Offline: what you log is kept on this device and sent when the network returns.</p>}
      {waiting > 0 && (
        <p class="notice" id="waiting">
          {waiting} interaction{waiting === 1 ? '' : 's'} waiting to be sent.{' '}
          <button type="button" class="linkish" onClick={() => void flush()}>
            Send now
          </button>
        </p>
      )}
      {shown.length > 0 && (
        <ul class="entries">
          {shown.map((e) => (
            <li class={'entry ' + e.state} data-key={e.key}>
              <strong>{e.draft.contact_name}</strong>
              {e.draft.account_name ? ` · ${e.draft.account_name}` : ''} · {e.draft.channel}
              {e.draft.notes ? <span class="notes"> “{e.draft.notes.length > 80 ? e.draft.notes.slice(0, 80) + '…' : e.draft.notes}”</span> : null}:{' '}
              <span class="state">{STATE_TEXT[e.state]}</span>
              {e.id ? ` (${e.id})` : ''}
              {e.reason && e.state !== 'saved' ? <span class="reason"> — {e.reason}</span> : null}
              {e.state === 'failed' && (
                <button type="button" class="linkish" onClick={() => dismiss(e.key)}>
                  Dismiss
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Screen(props: { path: string; user: User; entries: Entry[] }) {
  const [p] = props.path.split('?');
  const parts = p.split('/').filter(Boolean).map(decodeURIComponent);
  const q = new URLSearchParams(props.path.split('?')[1] || '');
  switch (parts[0] || 'queue') {
    case 'accounts':
      return parts[1] ? <AccountView id={parts[1]} entries={props.entries} /> : <Accounts q={q.get('q') || ''} />;
    case 'contacts':
      return <ContactView id={parts[1] || ''} entries={props.entries} />;
    case 'pipeline':
      return <Pipeline user={props.user} />;
    case 'queue':
    case 'share':
      return <Queue user={props.user} entries={props.entries} />;
    case 'kpis':
      return (
        <Later what="KPIs">
          <Kpis user={props.user} />
        </Later>
      );
    case 'review':
      return <Review />;
    case 'steward':
      return <Steward />;
    case 'feedback':
      return (
        <Later what="Feedback">
          <Feedback user={props.user} />
        </Later>
      );
    case 'strategy':
      return (
        <Later what="Strategy">
          <Strategy user={props.user} />
        </Later>
      );
    case 'admin':
      return (
        <Later what="Admin">
          <Admin user={props.user} />
        </Later>
      );
    default:
      return <p>There is no screen at {p}.</p>;
  }
}

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

// A shared text (Web Share Target: /share?title=&text=&url=) opens the quick-log with the
// text as notes and the first phone number in it as the contact search.
function shareInit(path: string): QuickLogInit | null {
  if (!path.startsWith('/share')) return null;
  const q = new URLSearchParams(path.split('?')[1] || '');
  const text = [q.get('title'), q.get('text'), q.get('url')].filter(Boolean).join('\n');
  const phone = text.match(/\+?\d[\d ()-]{6,}\d/);
  return {
    notes: text,
    query: phone ? phone[0].replace(/[^\d+]/g, '') : '',
    channel: /whatsapp/i.test(text) ? 'whatsapp' : undefined,
    pickSingle: true,
  };
}

function App() {
  const [user, setUser] = useState<User | null>(savedUser());
  const [checked, setChecked] = useState(false);
  const path = usePath();
  const entries = useOutbox();
  const [quick, setQuick] = useState<QuickLogInit | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    whenSignedOut(() => setUser(null));
    whoAmI().then((u) => {
      setUser(u);
      setChecked(true);
    });
    startOutbox();
  }, []);

  useEffect(() => {
    if (!user) return;
    const s = shareInit(path);
    if (s) {
      setQuick(s);
      go('/queue');
    }
  }, [user, path.startsWith('/share')]);

  // Read by the key handler, which is registered once: a handler re-registered after each
  // change would miss an `n` pressed right after the quick-log closed.
  const quickOpen = useRef(false);
  quickOpen.current = !!quick;
  useEffect(() => {
    function onKey(ev: KeyboardEvent) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target) || quickOpen.current) return;
      if (ev.key === 'n') {
        ev.preventDefault();
        quickOpen.current = true;
        setQuick({});
      } else if (ev.key === '/') {
        ev.preventDefault();
        searchRef.current?.focus();
      }
    }
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  if (!user) {
    if (!checked && navigator.onLine) return <p class="muted">Loading…</p>;
    return <Login onIn={(u) => (setUser(u), void flush())} />;
  }
  const here = '/' + (path.split('?')[0].split('/')[1] || 'queue');
  return (
    <>
      <header class="top">
        <a class="brand" href="/queue" onClick={(e) => (e.preventDefault(), go('/queue'))}>
          cxhub
        </a>
        <form
          class="search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            const v = searchRef.current?.value.trim() || '';
            go('/accounts' + (v ? '?q=' + encodeURIComponent(v) : ''));
          }}
        >
          <label for="search" class="visually-hidden">
            Search
          </label>
          <input id="search" ref={searchRef} type="search" placeholder="Search ( / )" autocomplete="off" />
        </form>
        <button type="button" class="primary" onClick={() => setQuick({})} aria-keyshortcuts="n">
          Log <kbd>n</kbd>
        </button>
        <button type="button" class="linkish who" onClick={() => void logOut().then(() => setUser(null))} title="Log out">
          {user.name || user.login} · Log out
        </button>
      </header>
      <nav class="screens" aria-label="Screens">
        {SCREENS.map(([name, href]) => (
          <Link href={href} aria-current={here === href ? 'page' : undefined}>
            {name}
          </Link>
        ))}
      </nav>
      <Outbox entries={entries} />
      <main id="main">
        <Screen path={path} user={user} entries={entries} />
      </main>
      {quick && (
        <QuickLog
          user={user}
          init={quick}
          onClose={() => {
            quickOpen.current = false;
            setQuick(null);
          }}
        />
      )}
    </>
  );
}

const root = document.getElementById('app')!;
root.textContent = ''; // the "loading" line shown before the script ran
render(<App />, root);

if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  addEventListener('load', () => void navigator.serviceWorker.register('/sw.js').catch(() => {}));
}
