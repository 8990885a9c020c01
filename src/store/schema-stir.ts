// Row types of the tables that src/store/migrations/0002-stir.ts creates.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface StirTables {}
