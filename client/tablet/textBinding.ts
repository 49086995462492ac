/**
 * Binds a plain <textarea> to a Y.Text: local typing becomes minimal Y.Text edits, remote
 * edits update the textarea while keeping the writer's cursor where it belongs.
 */
import type * as Y from 'yjs';

/** Applies the change from `before` to `after` as one delete and one insert at the changed span. */
export function applyTextChange(ytext: Y.Text, before: string, after: string): void {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  if (endBefore === start && endAfter === start) return;
  ytext.doc!.transact(() => {
    if (endBefore > start) ytext.delete(start, endBefore - start);
    if (endAfter > start) ytext.insert(start, after.slice(start, endAfter));
  });
}

type Delta = { insert?: unknown; delete?: number; retain?: number }[];

/**
 * Where a cursor at `index` ends up after a remote change described by `delta` (positions in
 * the delta refer to the text before the change). Text inserted exactly at the cursor goes
 * after it, so a writer is not pushed along by someone typing at the same spot.
 */
export function transformIndex(index: number, delta: Delta): number {
  let original = 0;
  let shift = 0;
  for (const op of delta) {
    if (original > index) break;
    if (op.retain !== undefined) original += op.retain;
    else if (op.insert !== undefined) {
      if (original < index) shift += typeof op.insert === 'string' ? op.insert.length : 1;
    } else if (op.delete !== undefined) {
      shift -= Math.min(op.delete, Math.max(0, index - original));
      original += op.delete;
    }
  }
  return Math.max(0, index + shift);
}

/** Grows the box with its text where CSS `field-sizing` is not supported (older iPads). */
function fitHeight(el: HTMLTextAreaElement) {
  if (typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content')) return;
  el.style.height = 'auto';
  el.style.height = `${el.scrollHeight + 4}px`;
}

export function bindTextarea(ytext: Y.Text, el: HTMLTextAreaElement): () => void {
  // toJSON() is the text as a string (yjs's typings lack Y.Text's toString).
  el.value = ytext.toJSON();
  fitHeight(el);
  const onRemote = (event: Y.YTextEvent) => {
    if (event.transaction.local) return;
    const focused = document.activeElement === el;
    const start = transformIndex(el.selectionStart, event.delta);
    const end = transformIndex(el.selectionEnd, event.delta);
    el.value = ytext.toJSON();
    fitHeight(el);
    if (focused) el.setSelectionRange(start, end);
  };
  const onInput = () => {
    applyTextChange(ytext, ytext.toJSON(), el.value);
    fitHeight(el);
  };
  ytext.observe(onRemote);
  el.addEventListener('input', onInput);
  return () => {
    ytext.unobserve(onRemote);
    el.removeEventListener('input', onInput);
  };
}
