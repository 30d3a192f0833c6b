// What a migrated database looks like, in terms both dialects share: per table its columns
// (name, type family, nullability, default), keys and unique constraints, and our named
// indexes. Two databases with equal snapshots run the same queries the same way.
import { sql } from 'kysely'
import type { DatabaseHandle } from '../../src/store/index.ts'

export interface SchemaSnapshot {
  readonly tables: Record<string, string[]>
  readonly keys: string[]
  readonly indexes: string[]
}

export async function schemaSnapshot(handle: DatabaseHandle): Promise<SchemaSnapshot> {
  const tables: Record<string, string[]> = {}
  for (const table of await handle.db.introspection.getTables()) {
    tables[table.name] = table.columns.map(
      (c) =>
        `${c.name} ${family(c.dataType)}${c.isNullable ? ' null' : ''}${c.hasDefaultValue ? ' default' : ''}`,
    )
  }
  const keys =
    handle.dialect === 'sqlite' ? await sqliteKeys(handle, Object.keys(tables)) : await postgresKeys(handle)
  return { tables, keys: keys.sort(), indexes: (await indexNames(handle)).sort() }
}

function family(dataType: string): string {
  const type = dataType.toLowerCase()
  if (['integer', 'int4', 'int8', 'bigint'].includes(type)) return 'integer'
  if (type.startsWith('varchar')) return 'varchar'
  return type
}

async function indexNames(handle: DatabaseHandle): Promise<string[]> {
  const query =
    handle.dialect === 'sqlite'
      ? sql<{
          name: string
        }>`select name from sqlite_master where type = 'index' and name like '%\_idx' escape '\\'`
      : sql<{ name: string }>`select indexname as name from pg_indexes
          where schemaname = current_schema() and indexname like '%\\_idx'`
  return (await query.execute(handle.db)).rows.map((row) => row.name)
}

async function sqliteKeys(handle: DatabaseHandle, tables: string[]): Promise<string[]> {
  const keys: string[] = []
  for (const table of tables) {
    const columns = await sql<{
      name: string
      pk: number
    }>`select name, pk from pragma_table_info(${table})`.execute(handle.db)
    const pk = columns.rows.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk)
    keys.push(`${table} primary (${pk.map((c) => c.name).join(', ')})`)
    const uniques = await sql<{ columns: string }>`
      select group_concat(ii.name, ', ') as columns
      from pragma_index_list(${table}) il join pragma_index_info(il.name) ii
      where il.origin = 'u' group by il.name`.execute(handle.db)
    for (const row of uniques.rows) keys.push(`${table} unique (${row.columns})`)
  }
  return keys
}

async function postgresKeys(handle: DatabaseHandle): Promise<string[]> {
  const result = await sql<{ table: string; kind: string; columns: string }>`
    select tc.table_name as table,
      case tc.constraint_type when 'PRIMARY KEY' then 'primary' else 'unique' end as kind,
      string_agg(k.column_name, ', ' order by k.ordinal_position) as columns
    from information_schema.table_constraints tc
    join information_schema.key_column_usage k
      on k.constraint_name = tc.constraint_name and k.table_schema = tc.table_schema
    where tc.table_schema = current_schema() and tc.constraint_type in ('PRIMARY KEY', 'UNIQUE')
    group by tc.table_name, tc.constraint_name, tc.constraint_type`.execute(handle.db)
  return result.rows.map((row) => `${row.table} ${row.kind} (${row.columns})`)
}
