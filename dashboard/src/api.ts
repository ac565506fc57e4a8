// The dashboard's only way to the server: the JSON API under /v1 with the tab's API key, or the
// Cloudflare Access cookie where the operator put the dashboard behind Access (the key wins).
// Errors come back as ApiFailure carrying the envelope's message, which pages show as it is.
import type { components, paths } from './api-schema';
import { apiKey } from './session';

// The API's types come from the OpenAPI document (dashboard/src/api-schema.ts, written by
// `npm run docs:api`), so a page cannot read a field the server does not send.
/** A named schema of the document (`components.schemas`). */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;
/** The JSON a successful `method path` answers (its 200, else its 201), as the document says. */
export type ResponseOf<Path extends keyof paths, M extends Method = 'get'> = paths[Path][M] extends {
  responses: infer Responses;
}
  ? Responses extends { 200: infer Ok }
    ? JsonOf<Ok>
    : Responses extends { 201: infer Created }
      ? JsonOf<Created>
      : never
  : never;
/** The JSON body `method path` takes. */
export type RequestOf<Path extends keyof paths, M extends Method> = paths[Path][M] extends {
  requestBody?: infer Body;
}
  ? JsonOf<NonNullable<Body>>
  : never;

export type Query = Record<string, string | number | undefined>;

/** A validation failure's field at fault: `path` is the body's dotted path (`destination.url`). */
export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  /** For validation failures, the fields at fault (the envelope's `details`). */
  readonly fields: FieldProblem[];
  constructor(status: number, code: string, message: string, fields: FieldProblem[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

function fieldProblems(details: unknown): FieldProblem[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d) =>
    d && typeof d === 'object' && typeof d.message === 'string'
      ? [{ path: typeof d.path === 'string' ? d.path : String(d.path ?? ''), message: d.message }]
      : [],
  );
}

/** Called on any 401, so an expired or revoked key sends the user back to sign in. */
let onUnauthorized: (message: string) => void = () => {};
export function whenUnauthorized(handler: (message: string) => void): void {
  onUnauthorized = handler;
}

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(name, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** The key to use instead of the tab's (signing in); '' sends none and never signs out (Access probe). */
  key?: string;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const key = options.key ?? apiKey();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (bookmark) headers['x-d1-bookmark'] = bookmark;
  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      // Same-origin only: the Access cookie, never to another site (fetch never follows one anyway).
      credentials: 'same-origin',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiFailure(0, 'network', 'Could not reach the server. Check the connection and try again.');
  }
  keepBookmark(res.headers.get('x-d1-bookmark'));
  if (res.ok) return res;
  const failure = await failureOf(res);
  if (res.status === 401 && options.key === undefined) onUnauthorized(failure.message);
  throw failure;
}

// D1's bookmark of the newest data this page has seen (src/http/d1-session.ts): sent with every
// request, so a list read from a replica after a save shows what was saved.
let bookmark: string | undefined;

function keepBookmark(latest: string | null): void {
  // Bookmarks are fixed-width hex groups: the larger string is the later point.
  if (latest && (!bookmark || latest > bookmark)) bookmark = latest;
}

async function failureOf(res: Response): Promise<ApiFailure> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error?.message)
      return new ApiFailure(
        res.status,
        body.error.code ?? 'error',
        body.error.message,
        fieldProblems(body.error.details),
      );
  } catch {
    // not our envelope: fall through to a generic message
  }
  return new ApiFailure(res.status, 'error', `The server answered ${res.status} ${res.statusText}`.trim());
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(path, options);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** `attachment; filename="a.csv"; filename*=UTF-8''a.csv` → the name the server chose. */
export function filenameOf(contentDisposition: string | null, fallback: string): string {
  if (!contentDisposition) return fallback;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(contentDisposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // malformed: try the plain parameter
    }
  }
  const plain =
    /filename\s*=\s*"([^"]*)"/i.exec(contentDisposition) ??
    /filename\s*=\s*([^;]+)/i.exec(contentDisposition);
  return plain?.[1]?.trim() || fallback;
}

/**
 * Downloads a CSV export: a plain link cannot send the Authorization header, so the file is
 * fetched, kept as a Blob and saved under the server's filename. Returns that filename.
 */
export async function download(path: string, query: Query = {}): Promise<string> {
  const res = await send(path, { query });
  const blob = await res.blob();
  const filename = filenameOf(res.headers.get('content-disposition'), path.split('/').pop() ?? 'export.csv');
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked a little later: the browser reads the Blob after the click has returned.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}
