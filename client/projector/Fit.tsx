/**
 * Fits a list onto a screen that cannot scroll. The type shrinks, down to a size still readable
 * at the back of the room; what does not fit at that size goes onto pages, which turn by
 * themselves and on the facilitator's command, with "1/3" shown.
 *
 * A hidden copy of the whole list is laid out at a trial size and measured (rows of a grid may
 * hold several items); the visible copy shows one page. Items are never cut: a page holds whole
 * rows, and a group that runs on to the next page gets its heading again there.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { PROJECTOR_PAGE_SECONDS, type ProjectorSettings } from '../../shared/protocol';
import { useI18n } from '../i18n/I18n';
import { serverNow } from '../lib/serverClock';

export interface FitItem {
  key: string;
  /** Items with the same group are shown under its heading. */
  group?: string;
  node: ReactNode;
}

interface Props {
  items: FitItem[];
  /**
   * A group's heading. An element in it with class `fit__continued` (e.g. "(vervolg)") shows only
   * on a page where the group began on an earlier one.
   */
  heading?: (group: string) => ReactNode;
  columns?: number;
  /** Type size range, as a factor of the wall's base size; the minimum is the readable limit. */
  max?: number;
  min?: number;
  paging: ProjectorSettings['paging'];
  /** Told how many pages there are and which is up (the console shows it). */
  onPages?: (page: number, pages: number) => void;
  className?: string;
}

interface Layout {
  scale: number;
  columns: number;
  /** Keys of items (and `#group` for headings) per page. */
  pages: string[][];
}

const HEADING = '#';

export function Fit({ items, heading, columns = 1, max = 1, min = 0.75, paging, onPages, className = '' }: Props) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const [layout, setLayout] = useState<Layout>({ scale: min, columns, pages: [] });
  const [, setSize] = useState({ w: 0, h: 0 });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const count = Math.max(1, layout.pages.length);
  const page = usePageIndex(paging, count);
  useEffect(() => onPages?.(page, count), [onPages, page, count]);

  // After every render, before the screen is painted: lay the whole list out at trial sizes in
  // place, then hide what is not on this page. Live results and typing change heights; a layout
  // that did not change is not set again, so this settles at once. Measuring in place (not in a
  // hidden copy) keeps every text on the page once.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- runs after every render on purpose: it measures the DOM, and any render may change it
  useLayoutEffect(() => {
    const el = box.current;
    const listEl = list.current;
    if (!el || !listEl || el.clientHeight === 0) return;
    const children = Array.from(listEl.children) as HTMLElement[];
    for (const child of children) {
      child.hidden = false;
      delete child.dataset.continued;
    }
    const next = fitLayout(listEl, el.clientHeight, min, max, columns);
    setLayout((before) => (sameLayout(before, next) ? before : next));
    showPage(listEl, next, Math.min(page, next.pages.length - 1));
  });

  return (
    <div ref={box} className={`fit ${className}`}>
      <div ref={list} className="fit__page">
        {renderList(items, heading)}
      </div>
      {count > 1 && (
        <p className="fit__pages" aria-label={t.projector.pageOf(page + 1, count)}>
          {page + 1}/{count}
        </p>
      )}
    </div>
  );
}

/** Hides every item and heading not on the page; a heading of a group begun on an earlier page says "(vervolg)". */
function showPage(listEl: HTMLElement, layout: Layout, page: number): void {
  const keys = new Set(layout.pages[Math.max(0, page)] ?? []);
  const before = new Set(layout.pages.slice(0, Math.max(0, page)).flat());
  listEl.style.fontSize = `${layout.scale}em`;
  listEl.style.gridTemplateColumns = `repeat(${layout.columns}, minmax(0, 1fr))`;
  const children = Array.from(listEl.children) as HTMLElement[];
  const onPage = new Set(children.filter((c) => keys.has(c.dataset.fit!)).map((c) => c.dataset.group));
  for (const child of children) {
    const key = child.dataset.fit!;
    if (key.startsWith(HEADING)) {
      const group = key.slice(1);
      // Shown above the group's first item on this page, also when the group began earlier.
      const shown = keys.has(key) || onPage.has(group);
      child.hidden = !shown;
      if (shown && !keys.has(key) && before.has(key)) child.dataset.continued = 'true';
    } else {
      child.hidden = !keys.has(key);
    }
  }
}

function renderList(items: FitItem[], heading: Props['heading']) {
  const out: ReactNode[] = [];
  let group: string | undefined;
  for (const item of items) {
    if (item.group !== undefined && item.group !== group && heading) {
      out.push(
        <div key={HEADING + item.group} className="fit__heading" data-fit={HEADING + item.group} data-group={item.group}>
          {heading(item.group)}
        </div>,
      );
    }
    group = item.group;
    out.push(
      <div key={item.key} className="fit__item" data-fit={item.key} data-group={item.group}>
        {item.node}
      </div>,
    );
  }
  return out;
}

/**
 * The largest size at which everything fits; else the readable minimum, split into pages. When a
 * single row is taller than the screen at that size, fewer columns make it lower; with one column
 * the type goes below the minimum rather than cut the item.
 */
function fitLayout(copy: HTMLElement, height: number, min: number, max: number, columns: number): Layout {
  const heightAt = (scale: number) => {
    copy.style.fontSize = `${scale}em`;
    return copy.scrollHeight;
  };
  const largest = (lo: number, hi: number, fits: () => boolean) => {
    for (let i = 0; i < 7; i++) {
      const mid = (lo + hi) / 2;
      heightAt(mid);
      if (fits()) lo = mid;
      else hi = mid;
    }
    return Math.floor(lo * 1000) / 1000;
  };
  const keys = () => Array.from(copy.children, (c) => (c as HTMLElement).dataset.fit!).filter(Boolean);
  // The page number takes a line at the bottom (see .fit__pages).
  const room = height - parseFloat(getComputedStyle(copy.parentElement!).fontSize) * 0.8 * 1.4;
  for (let cols = columns; cols >= 1; cols--) {
    copy.style.gridTemplateColumns = `repeat(${cols}, minmax(0, 1fr))`;
    if (heightAt(max) <= height) return { scale: max, columns: cols, pages: [keys()] };
    if (heightAt(min) <= height) {
      const scale = largest(min, max, () => copy.scrollHeight <= height);
      heightAt(scale);
      return { scale, columns: cols, pages: [keys()] };
    }
    const pages = paginate(copy, room);
    if (pages) return { scale: min, columns: cols, pages };
  }
  const scale = largest(0.3, min, () => paginate(copy, room) !== null);
  heightAt(scale);
  return { scale, columns: 1, pages: paginate(copy, room) ?? [keys()] };
}

interface Row {
  top: number;
  bottom: number;
  keys: string[];
  heading: string | null;
  /** The group of the row's items, for a heading repeated on a new page. */
  group: string | null;
}

/**
 * Whole rows per page; a heading never ends a page, and a group continued on a page gets its
 * heading again. Null when a row does not fit on a page of its own.
 */
function paginate(copy: HTMLElement, room: number): string[][] | null {
  const rows: Row[] = [];
  const headingHeight = new Map<string, number>();
  for (const child of Array.from(copy.children) as HTMLElement[]) {
    const key = child.dataset.fit;
    if (!key) continue;
    const top = child.offsetTop;
    const bottom = top + child.offsetHeight;
    const isHeading = key.startsWith(HEADING);
    if (isHeading) headingHeight.set(key.slice(1), child.offsetHeight);
    const last = rows[rows.length - 1];
    if (last && !isHeading && last.heading === null && Math.abs(last.top - top) < 1) {
      last.keys.push(key);
      last.bottom = Math.max(last.bottom, bottom);
    } else {
      rows.push({ top, bottom, keys: [key], heading: isHeading ? key.slice(1) : null, group: child.dataset.group ?? null });
    }
  }
  const pages: string[][] = [];
  let oversized = false;
  let page: string[] = [];
  let pageTop = 0;
  let extra = 0;
  const start = (row: Row) => {
    if (page.length > 0) pages.push(page);
    page = [];
    pageTop = row.top;
    extra = row.heading === null && row.group !== null ? (headingHeight.get(row.group) ?? 0) : 0;
  };
  rows.forEach((row, i) => {
    if (page.length === 0) start(row);
    const next = rows[i + 1];
    // A heading goes with the first row under it.
    const bottom = row.heading !== null && next ? next.bottom : row.bottom;
    if (page.length > 0 && bottom - pageTop + extra > room) start(row);
    if (bottom - pageTop + extra > room) oversized = true;
    page.push(...row.keys);
  });
  if (page.length > 0) pages.push(page);
  return oversized ? null : pages;
}

function sameLayout(a: Layout, b: Layout): boolean {
  return (
    a.scale === b.scale && a.columns === b.columns && a.pages.length === b.pages.length && a.pages.every((p, i) => p.join('\n') === b.pages[i]!.join('\n'))
  );
}

/** The page that is up: the facilitator's turns plus, when paging runs by itself, one per interval (server time, so every screen agrees). */
function usePageIndex(paging: ProjectorSettings['paging'], count: number): number {
  const [now, setNow] = useState(serverNow);
  const ticking = count > 1 && paging.auto;
  useEffect(() => {
    if (!ticking) return;
    const id = window.setInterval(() => setNow(serverNow()), 1000);
    return () => window.clearInterval(id);
  }, [ticking]);
  const auto = ticking ? Math.floor(Math.max(0, now - paging.since) / (PROJECTOR_PAGE_SECONDS * 1000)) : 0;
  return (((paging.turn + auto) % count) + count) % count;
}
