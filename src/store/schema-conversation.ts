// Row types of the tables that src/store/migrations/0003-conversation.ts creates.
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ConversationTables {}
