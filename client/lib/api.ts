/** REST calls. Errors come back as `ApiError` with the server's error code. */
import type { CreateSessionBody, CreateSessionResponse, ErrorCode, JoinPreview, JoinResponse } from '../../shared/protocol';
import type { Report, ReportFormat, ReportVersion } from '../../shared/report';
import type { ReportEdits, ReportEditsBody } from '../../shared/reportEdits';

/** What the server says about the report's edits and logo. */
export interface SavedEdits {
  edits: ReportEdits;
  logo: { mime: string; width: number; height: number; bytes: number } | null;
}
import { ConnectionMode } from '../../shared/connectionMode';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'network',
    message: string,
  ) {
    super(message);
  }
}

/** Fetches, and turns a network failure or an error reply into an `ApiError` with the server's code. */
async function send(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError('network', 'network error');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code: ErrorCode; message: string } } | null;
    throw new ApiError(body?.error?.code ?? 'internal', body?.error?.message ?? res.statusText);
  }
  return res;
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await send(path, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  return (await res.json()) as T;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export const api = {
  createSession: (body: CreateSessionBody) => request<CreateSessionResponse>('/api/sessions', { method: 'POST', body: JSON.stringify(body) }),
  joinPreview: (code: string) => request<JoinPreview>(`/api/join/${encodeURIComponent(code)}`),
  join: (code: string) => request<JoinResponse>('/api/join', { method: 'POST', body: JSON.stringify({ code }) }),
  /** Plain HTTP or the secure mode, and where tablets trust its certificate. */
  connectionMode: async () => ConnectionMode.parse(await request<unknown>('/api/connection')),
  report: (sessionId: string, key: string) => request<Report>(`/api/sessions/${sessionId}/report.json`, { headers: bearer(key) }),
  saveNotes: async (sessionId: string, key: string, notes: string[]) =>
    (await request<{ notes: string[] }>(`/api/sessions/${sessionId}/notes`, { method: 'PUT', headers: bearer(key), body: JSON.stringify({ notes }) })).notes,
  reportEdits: (sessionId: string, key: string) => request<SavedEdits>(`/api/sessions/${sessionId}/report/edits`, { headers: bearer(key) }),
  saveReportEdits: (sessionId: string, key: string, edits: ReportEditsBody) =>
    request<SavedEdits>(`/api/sessions/${sessionId}/report/edits`, { method: 'PUT', headers: bearer(key), body: JSON.stringify(edits) }),
  async uploadLogo(sessionId: string, key: string, file: Blob): Promise<SavedEdits> {
    const res = await send(`/api/sessions/${sessionId}/report/logo`, { method: 'PUT', headers: { ...bearer(key), 'content-type': file.type }, body: file });
    return (await res.json()) as SavedEdits;
  },
  deleteLogo: (sessionId: string, key: string) => request<SavedEdits>(`/api/sessions/${sessionId}/report/logo`, { method: 'DELETE', headers: bearer(key) }),
  /** The logo as a blob, for a preview (the key goes in a header, so an <img src> cannot fetch it). */
  logo: async (sessionId: string, key: string) => (await send(`/api/sessions/${sessionId}/report/logo`, { headers: bearer(key) })).blob(),
  /** Fetches a report file with the key in a header (never in the URL) and hands it to the browser as a download. */
  async downloadReport(sessionId: string, key: string, format: ReportFormat, lang: string, version: ReportVersion = 'full'): Promise<void> {
    const res = await send(`/api/sessions/${sessionId}/report.${format}?lang=${lang}&version=${version}`, { headers: bearer(key) });
    const disposition = res.headers.get('content-disposition') ?? '';
    const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `verslag.${format}`;
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};
