/**
 * The report on the page, drawn from the same outline and wording as every file
 * (shared/reportOutline.ts), so the preview says exactly what the files will say. Headings
 * open sections, so each round, theme and part is a region a reader can jump to.
 */
import { memo, type ReactNode } from 'react';
import { cellText, type Block, type ListItem, type Outline } from '../../shared/reportOutline';

/** Where the report page adds its editing controls: beside main-text points and theme headings. */
export interface OutlineEditing {
  item: (key: string, text: string) => ReactNode;
  heading: (key: string) => ReactNode;
}

interface Props {
  outline: Outline;
  /** Shown in place of the text under a heading with this text (e.g. an editor for the notes). */
  replace?: { heading: string; node: ReactNode };
  editing?: OutlineEditing | undefined;
}

interface Section {
  heading: Extract<Block, { kind: 'heading' }>;
  body: (Block | Section)[];
}

/** Nests the flat outline: each heading holds what follows it, up to a heading of its level or higher. */
function nest(blocks: Block[]): (Block | Section)[] {
  const root: (Block | Section)[] = [];
  const stack: Section[] = [];
  for (const block of blocks) {
    if (block.kind === 'heading') {
      while (stack.length > 0 && stack[stack.length - 1]!.heading.level >= block.level) stack.pop();
      const section: Section = { heading: block, body: [] };
      (stack.length > 0 ? stack[stack.length - 1]!.body : root).push(section);
      stack.push(section);
    } else {
      (stack.length > 0 ? stack[stack.length - 1]!.body : root).push(block);
    }
  }
  return root;
}

const HEADING_TAG = { 1: 'h1', 2: 'h2', 3: 'h3' } as const;

/** Memoised: typing in the editor above re-renders only when the outline itself changed. */
export const ReportOutline = memo(function ReportOutline({ outline, replace, editing }: Props) {
  const { cover, blocks } = outline;
  let n = 0;
  const id = () => `report-h${++n}`;
  const render = (items: (Block | Section)[]): ReactNode[] =>
    items.map((item, i) => {
      if ('body' in item) {
        const hid = id();
        const H = HEADING_TAG[item.heading.level];
        const body = replace && item.heading.text === replace.heading ? [replace.node] : render(item.body);
        const key = item.heading.key;
        const extra = editing && key !== undefined ? <div key="edit">{editing.heading(key)}</div> : null;
        return item.heading.level === 1 ? (
          <div key={i}>
            <H id={hid}>{item.heading.text}</H>
            {body}
          </div>
        ) : (
          <section key={i} aria-labelledby={hid} className={`report__section report__section--${item.heading.level}`}>
            <H id={hid}>{item.heading.text}</H>
            {extra}
            {body}
          </section>
        );
      }
      return <BlockView key={i} block={item} editing={editing} />;
    });
  const line = [cover.organisation, cover.date, cover.place].filter(Boolean).join(' · ');
  return (
    <>
      <h1>{cover.heading}</h1>
      <p className="report__cover-line">{line}</p>
      {cover.notice && <p className="notice-box">{cover.notice}</p>}
      {render(nest(blocks))}
    </>
  );
});

function Items({ items, ordered, editing }: { items: ListItem[]; ordered?: boolean | undefined; editing?: OutlineEditing | undefined }) {
  const List = ordered ? 'ol' : 'ul';
  return (
    <List className="report__list">
      {items.map((item, i) => (
        <li key={i}>
          {item.text}
          {item.note && <span className="report__count"> ({item.note})</span>}
          {editing && item.key !== undefined && editing.item(item.key, item.text)}
          {item.sub && item.sub.length > 0 && (
            <ul>
              {item.sub.map((s, j) => (
                <li key={j}>{s}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </List>
  );
}

function BlockView({ block, editing }: { block: Block; editing?: OutlineEditing | undefined }) {
  switch (block.kind) {
    case 'heading':
      return null;
    case 'paragraph':
      return <p className={block.tone === 'notice' ? 'notice-box' : block.tone === 'quiet' ? 'field__hint' : undefined}>{block.text}</p>;
    case 'label':
      return <p className="report__label">{block.text}</p>;
    case 'facts':
      return (
        <dl className="report__meta">
          {block.rows.map((row, i) => (
            <div key={i} className="report__fact">
              <dt>{row.label}</dt>
              <dd>{row.value}</dd>
            </div>
          ))}
        </dl>
      );
    case 'list':
      return <Items items={block.items} ordered={block.ordered} editing={editing} />;
    case 'table':
      return (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                {block.columns.map((c, i) => (
                  <th key={i} scope="col" className={c.numeric ? 'num' : undefined}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j} className={block.columns[j]?.numeric ? 'num' : undefined}>
                      {cellText(cell)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'chart':
      return (
        <figure className="report-chart">
          <figcaption className="report__label">{block.title}</figcaption>
          <ul className="report-chart__bars">
            {block.bars.map((bar, i) => (
              <li key={i}>
                <span className="report-chart__label">{bar.label}</span>
                <span className="report-chart__track" aria-hidden="true">
                  {bar.segments && block.legend ? (
                    <span className="report-chart__stack">
                      {bar.segments.map((part, j) => (
                        <span key={j} style={{ width: `${block.max > 0 ? (part / block.max) * 100 : 0}%`, background: block.legend?.[j]?.color }} />
                      ))}
                    </span>
                  ) : (
                    <span className="report-chart__bar" style={{ width: `${block.max > 0 ? Math.max(1, (bar.value / block.max) * 100) : 0}%` }} />
                  )}
                </span>
                <span className="report-chart__value">{bar.text}</span>
              </li>
            ))}
          </ul>
          {block.legend && (
            <ul className="wall-legend report-chart__legend" aria-hidden="true">
              {block.legend.map((entry, j) => (
                <li key={j}>
                  <span className="wall-legend__swatch" style={{ background: entry.color }} />
                  {entry.label}
                </li>
              ))}
            </ul>
          )}
        </figure>
      );
  }
}
