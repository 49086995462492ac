/** Names of Yjs documents: one per table of a session, and the session's plenary board. */
export const tableDocName = (sessionId: string, table: number): string => `${sessionId}/${table}`;
export const plenaryDocName = (sessionId: string): string => `${sessionId}/plenary`;

/** `table` is null for the plenary board. */
export function parseDocName(name: string): { sessionId: string; table: number | null } | null {
  const m = /^([A-Za-z0-9_-]{8,32})\/(?:([1-9][0-9]{0,2})|plenary)$/.exec(name);
  return m ? { sessionId: m[1]!, table: m[2] === undefined ? null : Number(m[2]) } : null;
}
