/** REST calls. Errors come back as `ApiError` with the server's error code. */
import type { CreateSessionBody, CreateSessionResponse, ErrorCode, JoinPreview, JoinResponse } from '../../shared/protocol';
import type { Report } from '../../shared/report';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'network',
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  } catch {
    throw new ApiError('network', 'network error');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code: ErrorCode; message: string } } | null;
    throw new ApiError(body?.error?.code ?? 'internal', body?.error?.message ?? res.statusText);
  }
  return (await res.json()) as T;
}

export const api = {
  createSession: (body: CreateSessionBody) =>
    request<CreateSessionResponse>('/api/sessions', { method: 'POST', body: JSON.stringify(body) }),
  joinPreview: (code: string) => request<JoinPreview>(`/api/join/${encodeURIComponent(code)}`),
  join: (code: string) => request<JoinResponse>('/api/join', { method: 'POST', body: JSON.stringify({ code }) }),
  report: (sessionId: string, key: string) =>
    request<Report>(`/api/sessions/${sessionId}/report.json`, { headers: { authorization: `Bearer ${key}` } }),
  /** Fetches a report file with the key in a header and hands it to the browser as a download. */
  async downloadReport(sessionId: string, key: string, format: 'json' | 'md', lang: string): Promise<void> {
    const res = await fetch(`/api/sessions/${sessionId}/report.${format}?lang=${lang}`, {
      headers: { authorization: `Bearer ${key}` },
    }).catch(() => null);
    if (!res?.ok) throw new ApiError(res ? 'unauthorized' : 'network', 'download failed');
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
