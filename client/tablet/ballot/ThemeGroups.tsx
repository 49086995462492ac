/** A ballot's items under a heading per theme; items without any theme get no heading. */
import type { ReactNode } from 'react';
import type { VoteItem } from '../../../shared/protocol';
import type { ItemGroup } from './choices';

interface Props {
  groups: ItemGroup[];
  /** One level below the heading the groups sit under. */
  level?: 3 | 4;
  renderItem: (item: VoteItem) => ReactNode;
}

export function ThemeGroups({ groups, level = 3, renderItem }: Props) {
  const Heading = level === 3 ? 'h3' : 'h4';
  return groups.map((g) =>
    g.label === null ? (
      <ul key={g.id} className="ballot__items">
        {g.items.map(renderItem)}
      </ul>
    ) : (
      <section key={g.id} className="ballot__group" aria-labelledby={`ballot-${g.id}`}>
        <Heading id={`ballot-${g.id}`}>{g.label}</Heading>
        <ul className="ballot__items">{g.items.map(renderItem)}</ul>
      </section>
    ),
  );
}
