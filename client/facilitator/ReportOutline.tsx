/**
 * The report on the page, drawn from the same outline and wording as the HTML, Word and Markdown
 * files (shared/reportOutline.ts), so the preview says exactly what the files will say. Headings
 * open sections, so each round, theme and part is a region a reader can jump to.
 */
import type { ReactNode } from 'react';
import type { Block, ListItem } from '../../shared/reportOutline';

interface Props {
  blocks: Block[];
  /** Shown in place of the text under a heading with this text (e.g. an editor for the notes). */
  replace?: { heading: string; node: ReactNode };
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

export function ReportOutline({ blocks, replace }: Props) {
  let n = 0;
  const id = () => `report-h${++n}`;
  const render = (items: (Block | Section)[]): ReactNode[] =>
    items.map((item, i) => {
      if ('body' in item) {
        const hid = id();
        const H = `h${item.heading.level}` as 'h1' | 'h2' | 'h3';
        const body = replace && item.heading.text === replace.heading ? [replace.node] : render(item.body);
        return item.heading.level === 1 ? (
          <div key={i}>
            <H id={hid}>{item.heading.text}</H>
            {body}
          </div>
        ) : (
          <section key={i} aria-labelledby={hid} className={`report__section report__section--${item.heading.level}`}>
            <H id={hid}>{item.heading.text}</H>
            {body}
          </section>
        );
      }
      return <BlockView key={i} block={item} />;
    });
  return <>{render(nest(blocks))}</>;
}

function Items({ items, ordered }: { items: ListItem[]; ordered?: boolean }) {
  const List = ordered ? 'ol' : 'ul';
  return (
    <List className="report__list">
      {items.map((item, i) => (
        <li key={i}>
          {item.text}
          {item.note && <span className="report__count"> ({item.note})</span>}
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

function BlockView({ block }: { block: Block }) {
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
      return <Items items={block.items} ordered={block.ordered} />;
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
                      {cell}
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
                  <span className="report-chart__bar" style={{ width: `${block.max > 0 ? Math.max(1, (bar.value / block.max) * 100) : 0}%` }} />
                </span>
                <span className="report-chart__value">{bar.text}</span>
              </li>
            ))}
          </ul>
        </figure>
      );
  }
}
