// Row types of the tables that src/store/migrations/0004-payments.ts creates.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface PaymentsTables {}
