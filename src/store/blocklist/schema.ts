export interface BlocklistEntriesTable {
  /** "block" (action block or silence) or "identify" (label or warn: shown, not blocked). */
  list: string;
  identifier: string;
  /** Phone numbers: the E.164 digits left-padded to 15 (text order = numeric order); null otherwise. */
  number_key: string | null;
  category: string | null;
  label: string;
  added_version: number;
  /** The version it left the list at; null while on it. */
  removed_version: number | null;
}

export interface BlocklistVersionsTable {
  version: number;
  created_at: string;
  block_count: number;
  identify_count: number;
  block_digest: string;
  identify_digest: string;
}

export interface BlocklistTables {
  blocklist_entries: BlocklistEntriesTable;
  blocklist_versions: BlocklistVersionsTable;
}
