// Small pieces every screen uses: loading a route's answer, and saying clearly when the
// server has no such route (the page is built against routes that may come later).
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get } from './api';

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

// Loads `path`; when the server does not know one of its query parameters (400), loads
// `fallback` instead (`unfiltered` is then true: the caller filters what came back).
export function useApi<T = any>(path: string | null, fallback?: string): Loaded<T> & { unfiltered?: boolean } {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean; unfiltered?: boolean }>({
    loading: !!path,
  });
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    get<T>(path)
      .then(
        (data) => ({ data, unfiltered: false }),
        (error: ApiError) => {
          if (fallback && error.status === 400 && /query parameter/.test(error.message)) {
            return get<T>(fallback).then((data) => ({ data, unfiltered: true }));
          }
          throw error;
        },
      )
      .then(
        ({ data, unfiltered }) => live && setState({ data, loading: false, unfiltered }),
        (error) => live && setState({ error, loading: false }),
      );
    return () => {
      live = false;
    };
  }, [path, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

// Shows the loading state or the error of `r`, else the children (given the data).
export function Load<T>(props: { r: Loaded<T>; what: string; path: string; children: (data: T) => ComponentChildren }) {
  const { r } = props;
  if (r.error) return <Problem error={r.error} what={props.what} path={props.path} />;
  if (r.loading || r.data === undefined) return <p class="muted" role="status">Loading {props.what}…</p>;
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
