/** Names of Yjs documents: one per table of a session. */
export const tableDocName = (sessionId: string, table: number): string => `${sessionId}/${table}`;

export function parseDocName(name: string): { sessionId: string; table: number } | null {
  const m = /^([A-Za-z0-9_-]{8,32})\/([1-9][0-9]{0,2})$/.exec(name);
  return m ? { sessionId: m[1]!, table: Number(m[2]) } : null;
}
