// Talking to the hub's JSON API (docs/api.md): the session cookie signs requests in, and
// every change carries the X-CSRF-Token the login gave.

export interface User {
  login: string;
  name: string;
  role: string;
  division: string;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  fields?: Record<string, string>;
  matches?: Match[];
}

export interface Match {
  kind: string;
  id: string;
  name: string;
  score: number;
  why?: string;
  account_id?: string;
  account_name?: string;
}

// An answer that is not 2xx. `status` 0 means the network failed (offline, server down).
export class ApiError extends Error {
  constructor(
    public status: number,
    public body: ApiErrorBody,
    // The whole answer: a refused upload carries its `summary` beside `error`.
    public raw: any = null,
  ) {
    super(body.message);
  }
  // The server does not have this route (yet): 404 on the path itself, not on a record.
  get missingRoute(): boolean {
    return this.status === 404 && this.body.message.startsWith('no such resource');
  }
  get offline(): boolean {
    return this.status === 0;
  }
}

const CSRF_KEY = 'cxhub.csrf';
const USER_KEY = 'cxhub.user';

export function savedUser(): User | null {
  try {
    return JSON.parse(localStorage.getItem(USER_KEY) || 'null');
  } catch {
    return null;
  }
}

function remember(user: User | null, csrf: string | null) {
  if (user) localStorage.setItem(USER_KEY, JSON.stringify(user));
  else localStorage.removeItem(USER_KEY);
  if (csrf) localStorage.setItem(CSRF_KEY, csrf);
  else if (!user) localStorage.removeItem(CSRF_KEY);
}

export interface Answer<T> {
  status: number;
  data: T;
  headers: Headers;
}

let onSignedOut: () => void = () => {};
// Called when the server says the session is gone (401), so the page shows the login form.
export function whenSignedOut(fn: () => void) {
  onSignedOut = fn;
}

export async function request<T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  if (method !== 'GET' && method !== 'HEAD') {
    h['X-CSRF-Token'] = localStorage.getItem(CSRF_KEY) || '';
    // A form (an upload) sets its own multipart Content-Type with the boundary; a text body
    // (a TOML document) goes as it is, with the type the caller names.
    if (body !== undefined && !(body instanceof FormData) && typeof body !== 'string') h['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: h,
      credentials: 'same-origin',
      body: body === undefined ? undefined : body instanceof FormData || typeof body === 'string' ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { code: 'offline', message: 'no connection to the hub' });
  }
  const text = await res.text();
  let data: any = null;
  if (text && (res.headers.get('Content-Type') || '').includes('json')) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  } else {
    data = text;
  }
  if (!res.ok) {
    const err: ApiErrorBody = (data && data.error) || {
      code: 'http_' + res.status,
      message: `the hub answered ${res.status}`,
    };
    if (data && data.matches && !err.matches) err.matches = data.matches;
    if (res.status === 401 && path !== '/api/v1/session') onSignedOut();
    throw new ApiError(res.status, err, data);
  }
  return { status: res.status, data: data as T, headers: res.headers };
}

export const get = <T = any>(path: string) => request<T>('GET', path).then((a) => a.data);

export async function logIn(login: string, password: string): Promise<User> {
  const a = await request<User & { csrf_token: string }>('POST', '/api/v1/session', {
    login,
    password,
  });
  const { csrf_token, ...user } = a.data;
  remember(user, csrf_token);
  return user;
}

export async function logOut() {
  try {
    await request('DELETE', '/api/v1/session');
  } finally {
    remember(null, null);
  }
}

// Who is signed in, asked of the server; offline, the last known user (the cookie may
// still be good when the network comes back).
export async function whoAmI(): Promise<User | null> {
  try {
    const u = await get<User>('/api/v1/session');
    remember(u, null);
    return u;
  } catch (e) {
    if (e instanceof ApiError && e.offline) return savedUser();
    remember(null, null);
    return null;
  }
}

export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? '?' + s : '';
}
