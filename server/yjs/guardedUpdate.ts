/**
 * Applying a writer's update under the board's rules (domain/boardRules.ts, read by
 * updateGuard.ts), and telling a client when its change was refused.
 */
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as authProtocol from 'y-protocols/auth';
import * as Y from 'yjs';
import { BOARD_REFUSAL as REFUSAL, LIMITS } from '../../shared/protocol.js';
import { refuseUpdate, type BoardPhase } from '../domain/boardRules.js';
import type { Access } from './access.js';
import type { DocStore } from './docStore.js';
import { applyAndUndo, describeUpdate, enforceLimits } from './updateGuard.js';
import { MESSAGE_AUTH, send } from './wire.js';

/** What the guard asks of the rest of the server. */
export interface GuardDeps {
  store: Pick<DocStore, 'compact' | 'whenStored'>;
  /** Where the session is, for what its boards accept (see domain/boardRules.ts). */
  boardPhase(sessionId: string): BoardPhase;
}

/** Whether an update changes nothing (a client's sync reply to an empty difference). */
export const isEmptyUpdate = (update: Uint8Array): boolean => {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length === 0 && ds.clients.size === 0;
};

/**
 * Applies a writer's update if the board's rules allow all of it now (domain/boardRules.ts);
 * otherwise applies and undoes it whole, stores only the outcome, and tells the writer why.
 * The sender receives the undo like any other change.
 */
export function applyGuarded(doc: Y.Doc, update: Uint8Array, ws: WebSocket, access: Access, deps: GuardDeps): void {
  const changes = describeUpdate(doc, update, access.plenary);
  const refusal = refuseUpdate(changes, deps.boardPhase(access.sessionId), access.role, access.plenary);
  if (refusal !== null) {
    applyAndUndo(doc, update, ws);
    // The stored log would still hold the refused update: fold it into the document's state.
    deps.store.compact(access.docName);
    // After the undo has gone out (it is relayed once stored): the writer's board is back as it
    // was when it hears why, in hosted mode too, where relays wait for Postgres.
    deps.store.whenStored(() => denyWrite(ws, REFUSAL[refusal]));
    return;
  }
  let changed: Y.AbstractType<unknown>[] = [];
  const capture = (tr: Y.Transaction) => {
    if (tr.origin === ws) changed = [...tr.changed.keys()] as Y.AbstractType<unknown>[];
  };
  doc.on('afterTransaction', capture);
  try {
    Y.applyUpdate(doc, update, ws);
  } finally {
    doc.off('afterTransaction', capture);
  }
  const added = changes.flatMap((c) => (c.kind === 'point.add' ? [c.id] : []));
  const cut = enforceLimits(doc, changed, added, { textLength: LIMITS.pointTextLength, points: LIMITS.pointsPerTable });
  if (cut.pointsRemoved) deps.store.whenStored(() => denyWrite(ws, REFUSAL.points_limit));
  else if (cut.textCut) deps.store.whenStored(() => denyWrite(ws, REFUSAL.text_limit));
}

/** Tells the client its change was refused (y-protocols' permission-denied auth message). */
export function denyWrite(ws: WebSocket, reason: string): void {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MESSAGE_AUTH);
  authProtocol.writePermissionDenied(enc, reason);
  send(ws, encoding.toUint8Array(enc));
}
