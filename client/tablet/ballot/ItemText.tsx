/** An item's text on a ballot, with the table(s) it came from so voters recognise their own points. */
import type { VoteItem } from '../../../shared/protocol';
import { useI18n } from '../../i18n/I18n';

export function ItemText({ item }: { item: VoteItem }) {
  const { t } = useI18n();
  const origin = item.tables && item.tables.length > 0 ? t.ballot.fromTables(item.tables) : item.table !== null ? t.ballot.fromTable(item.table) : null;
  return (
    <div className="ballot-item__text">
      <span>{item.text}</span>
      {origin && <span className="ballot-item__table">{origin}</span>}
    </div>
  );
}
