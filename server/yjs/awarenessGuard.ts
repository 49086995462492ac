/**
 * Presence (y-protocols awareness) from a tablet, brought to the shape the app uses before the
 * server applies and relays it: `{ editing: pointId | null }` and nothing else, each state at
 * most a few hundred bytes. A tablet cannot use presence to send the room anything else, such
 * as a name or a message, nor make every tablet parse a large state.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** A state's JSON as sent; anything longer is dropped unread. */
export const MAX_STATE_BYTES = 512;
/** Clients in one message: a tablet sends its own, and on leaving, a removal. */
export const MAX_STATES = 8;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The one field a table's presence holds (see client/tablet/Board.tsx). */
function shaped(json: string): string {
  if (json === 'null') return json;
  if (json.length > MAX_STATE_BYTES) return JSON.stringify({ editing: null });
  const state: unknown = JSON.parse(json);
  if (state === null) return 'null';
  const editing = typeof state === 'object' && !Array.isArray(state) ? (state as Record<string, unknown>).editing : undefined;
  return typeof editing === 'string' && ID.test(editing) ? JSON.stringify({ editing }) : JSON.stringify({ editing: null });
}

/** The awareness update with every state shaped; throws on a malformed one (the caller closes). */
export function shapeAwareness(update: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > MAX_STATES) throw new Error(`awareness update with ${count} states`);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, count);
  for (let i = 0; i < count; i++) {
    encoding.writeVarUint(encoder, decoding.readVarUint(decoder));
    encoding.writeVarUint(encoder, decoding.readVarUint(decoder));
    encoding.writeVarString(encoder, shaped(decoding.readVarString(decoder)));
  }
  return encoding.toUint8Array(encoder);
}
