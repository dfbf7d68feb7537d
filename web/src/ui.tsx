// Small pieces every screen uses: loading a route's answer, and saying clearly why it could
// not be loaded (offline, a role that may not see it, a server without that route).
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get } from './api';

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

// Loads `path` (null: nothing to load); `reload` asks again and keeps the data meanwhile.
export function useApi<T = any>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean; of?: string | null }>({ loading: !!path });
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    get<T>(path).then(
      (data) => live && setState({ data, loading: false, of: path }),
      (error: ApiError) => live && setState({ error, loading: false, of: path }),
    );
    return () => {
      live = false;
    };
  }, [path, n]);
  // Another path's data (the screen moved on to another record) is not shown as this one's.
  const mine = state.of === path;
  return { data: mine ? state.data : undefined, error: mine ? state.error : undefined, loading: state.loading, reload: () => setN((x) => x + 1) };
}

// Shows the error of `r`, else its data through the children (while a reload runs, the data
// as it was: a screen keeps its place and its messages), else that it is loading.
export function Load<T>(props: { r: Loaded<T>; what: string; path: string; children: (data: T) => ComponentChildren }) {
  const { r } = props;
  if (r.error) return <Problem error={r.error} what={props.what} path={props.path} />;
  if (r.data === undefined) return <p class="muted" role="status">Loading {props.what}…</p>;
  return <>{props.children(r.data)}</>;
}

export function Problem(props: { error: ApiError; what: string; path?: string }) {
  const e = props.error;
  if (e.missingRoute) {
    return (
      <p class="notice" role="status">
        This hub's server does not offer {props.what} yet (<code>{(props.path || '').split('?')[0]}</code> answers
        404). Everything else works; this part appears once the server has it.
      </p>
    );
  }
  if (e.offline) return <p class="notice" role="status">Offline: {props.what} will show when the network returns.</p>;
  if (e.status === 403) return <p class="notice" role="status">Your role may not see {props.what}: {e.message}</p>;
  return (
    <p class="error" role="alert">
      Could not load {props.what}: {e.message}
    </p>
  );
}

// A link that moves within the page without reloading it.
export function go(path: string) {
  if (location.pathname + location.search === path) return;
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function Link(props: { href: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' }) {
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props['aria-current']}
      onClick={(ev) => {
        if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
        ev.preventDefault();
        go(props.href);
      }}
    >
      {props.children}
    </a>
  );
}

// A record id as a link where the page has a view of that kind of record.
export function RecordLink(props: { id: string }) {
  const id = props.id;
  if (id.startsWith('A-')) return <Link href={`/accounts/${encodeURIComponent(id)}`}>{id}</Link>;
  if (id.startsWith('C-')) return <Link href={`/contacts/${encodeURIComponent(id)}`}>{id}</Link>;
  return <span>{id}</span>;
}

// A time as the hub shows it ("2026-04-03 14:05"). The hub's times are wall-clock times
// of its zone already; a time with Z or an offset (what this device typed) is shown in the
// device's zone.
export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  if (/(Z|[+-]\d\d:?\d\d)$/.test(iso)) {
    const d = new Date(iso);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  }
  return iso.replace('T', ' ').slice(0, 16);
}

// An amount of money: naira as ₦1,234,567; another currency with its code.
export function money(n: number | null | undefined, currency = 'NGN'): string {
  if (n === null || n === undefined) return '';
  const v = Math.round(n).toLocaleString('en-NG');
  return currency === 'NGN' ? '₦' + v : `${v} ${currency}`;
}

// A KPI's value in its unit, as the KPIs and Strategy screens show it ("—" without data).
export function kpiValue(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined) return '—';
  if (unit === 'ratio') return (v * 100).toFixed(0) + '%';
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}
