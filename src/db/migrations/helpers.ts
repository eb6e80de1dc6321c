import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';
import type { DialectName } from '../database.js';

export interface Migration {
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

/** An auto-incrementing integer primary key in either dialect. */
export function serialPrimaryKey<T extends string>(
  table: CreateTableBuilder<T, never>,
  name: string,
  dialect: DialectName,
): CreateTableBuilder<T, never> {
  return dialect === 'postgres'
    ? table.addColumn(name, 'bigserial', (c: ColumnDefinitionBuilder) => c.primaryKey())
    : table.addColumn(name, 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}
