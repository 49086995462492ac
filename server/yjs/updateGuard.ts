/**
 * Decides whether a table update may be applied, by what it would change: new points are only
 * allowed in steps that collect points, and only a table host may hide or unhide a point.
 *
 * Typing (the hot path) only inserts and deletes text, which cannot do either, so such updates
 * pass on a quick look at their structs. Anything else is tried on a copy of the document.
 */
import * as Y from 'yjs';
import { POINTS_KEY } from '../../shared/board.js';

export interface UpdateEffects {
  /** Ids of points the update creates (or replaces). */
  newPoints: { id: string; step: string | null }[];
  changesHidden: boolean;
}

const NO_EFFECTS: UpdateEffects = { newPoints: [], changesHidden: false };

function onlyText(update: Uint8Array): boolean {
  const { structs } = Y.decodeUpdate(update);
  return structs.every((s) => !(s instanceof Y.Item) || s.content instanceof Y.ContentString || s.content instanceof Y.ContentDeleted);
}

export function updateEffects(doc: Y.Doc, update: Uint8Array): UpdateEffects {
  if (onlyText(update)) return NO_EFFECTS;
  const copy = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const points = copy.getMap<Y.Map<unknown>>(POINTS_KEY);
    const effects: UpdateEffects = { newPoints: [], changesHidden: false };
    const watch = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      for (const event of events) {
        if (event.target === points) {
          for (const [key, change] of (event as Y.YMapEvent<unknown>).changes.keys) {
            if (change.action !== 'delete') {
              const step = points.get(key)?.get('step');
              effects.newPoints.push({ id: key, step: typeof step === 'string' ? step : null });
            }
          }
        } else if (event.target instanceof Y.Map && event.target.parent === points) {
          if ((event as Y.YMapEvent<unknown>).keysChanged.has('hidden')) effects.changesHidden = true;
        }
      }
    };
    points.observeDeep(watch);
    Y.applyUpdate(copy, update);
    return effects;
  } finally {
    copy.destroy();
  }
}
