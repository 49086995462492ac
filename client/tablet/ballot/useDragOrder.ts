/**
 * Reordering a list by dragging a handle. Pointer events, because HTML5 drag and drop never
 * fires on touch screens. While the finger moves, rows only shift by transforms and the DOM
 * order stays put: moving the dragged row's node would end its pointer capture mid-drag. The
 * new order is committed when the finger lifts, and dropped when the browser cancels the drag.
 */
import { useRef, useState, type CSSProperties, type PointerEvent as ReactPointerEvent } from 'react';

interface Drag {
  id: string;
  pointerId: number;
  /** The order as it would be if the finger lifted now. */
  order: string[];
  /** How far the dragged row is from its slot in `order`, in px. */
  offset: number;
  lastY: number;
  heights: Map<string, number>;
  gap: number;
}

/** How close to the window's top or bottom a drag scrolls the page, and by how much per move. */
const EDGE_PX = 110;
const SCROLL_PX = 14;

type HandleEvent = ReactPointerEvent<HTMLElement>;

export function useDragOrder(order: string[], onDrop: (order: string[], id: string) => void) {
  const [drag, setDrag] = useState<Drag | null>(null);
  // Pointer events can outrun React's renders; the handlers read the latest drag from here.
  const current = useRef<Drag | null>(null);
  const rows = useRef(new Map<string, HTMLElement>());

  const update = (next: Drag | null) => {
    current.current = next;
    setDrag(next);
  };

  const start = (id: string, e: HandleEvent) => {
    if (current.current || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    const heights = new Map(order.map((x) => [x, rows.current.get(x)?.offsetHeight ?? 0]));
    const first = rows.current.get(order[0] ?? '');
    const second = rows.current.get(order[1] ?? '');
    const gap = first && second ? second.offsetTop - first.offsetTop - first.offsetHeight : 0;
    update({ id, pointerId: e.pointerId, order, offset: 0, lastY: e.pageY, heights, gap });
  };

  const follow = (e: HandleEvent) => {
    const d = current.current;
    if (!d || d.pointerId !== e.pointerId) return;
    const height = (x: string | undefined) => d.heights.get(x ?? '') ?? 0;
    const next = [...d.order];
    // pageY, not clientY: when the page scrolls under a still finger, the row keeps up with it.
    let offset = d.offset + e.pageY - d.lastY;
    let i = next.indexOf(d.id);
    // Past half of a neighbour the row takes its place, and its offset counts from the new slot.
    while (i < next.length - 1 && offset > height(next[i + 1]) / 2 + d.gap) {
      offset -= height(next[i + 1]) + d.gap;
      [next[i], next[i + 1]] = [next[i + 1]!, next[i]!];
      i++;
    }
    while (i > 0 && offset < -(height(next[i - 1]) / 2 + d.gap)) {
      offset += height(next[i - 1]) + d.gap;
      [next[i], next[i - 1]] = [next[i - 1]!, next[i]!];
      i--;
    }
    update({ ...d, order: next, offset, lastY: e.pageY });
    // A long list does not fit a tablet: near the edge, the page scrolls along.
    if (e.clientY < EDGE_PX) window.scrollBy(0, -SCROLL_PX);
    else if (e.clientY > window.innerHeight - EDGE_PX) window.scrollBy(0, SCROLL_PX);
  };

  const end = (e: HandleEvent, keep: boolean) => {
    const d = current.current;
    if (!d || d.pointerId !== e.pointerId) return;
    update(null);
    if (keep && d.order.some((x, i) => x !== order[i])) onDrop(d.order, d.id);
  };

  /** Where each row is drawn while dragging: its slot in the new order, relative to its place in the DOM. */
  const rowStyle = (id: string): CSSProperties | undefined => {
    if (!drag) return undefined;
    const top = (list: string[]) => {
      let y = 0;
      for (const x of list) {
        if (x === id) return y;
        y += (drag.heights.get(x) ?? 0) + drag.gap;
      }
      return y;
    };
    const shift = top(drag.order) - top(order) + (id === drag.id ? drag.offset : 0);
    return shift === 0 ? undefined : { transform: `translateY(${shift}px)` };
  };

  return {
    /** The dragged item, while a drag lasts. */
    active: drag?.id ?? null,
    /** The order to number the rows by: the new one while dragging. */
    order: drag?.order ?? order,
    rowStyle,
    rowRef: (id: string) => (el: HTMLElement | null) => {
      if (el) rows.current.set(id, el);
      else rows.current.delete(id);
    },
    handleProps: (id: string) => ({
      onPointerDown: (e: HandleEvent) => start(id, e),
      onPointerMove: follow,
      onPointerUp: (e: HandleEvent) => end(e, true),
      onPointerCancel: (e: HandleEvent) => end(e, false),
      onLostPointerCapture: (e: HandleEvent) => end(e, false),
    }),
  };
}
