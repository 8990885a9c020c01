// Row types of the tables that src/store/migrations/0005-governance.ts creates.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface GovernanceTables {}
