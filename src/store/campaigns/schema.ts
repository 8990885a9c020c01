export interface HoneypotsTable {
  number: string;
  org_id: string;
  created_by: string;
  created_at: string;
}

export interface HoneypotHitsTable {
  caller: string;
  honeypot: string;
  org_id: string;
  day: string;
  at: string;
  /** cdr (a call record) or screen (a screened call). */
  source: string;
}

export interface HoneypotTranscriptsTable {
  id: string;
  honeypot: string;
  org_id: string;
  caller: string;
  text: string;
  /** MinHash signature, JSON array of numbers. */
  fingerprint: string;
  at: string;
  created_at: string;
}

export interface CampaignsTable {
  id: string;
  first_seen: string;
  last_seen: string;
  members: number;
  /** JSON [{kind, count}]. */
  evidence: string;
  created_at: string;
  updated_at: string;
}

export interface CampaignMembersTable {
  campaign_id: string;
  caller: string;
  /** JSON array of evidence kinds. */
  kinds: string;
  first_seen: string;
  last_seen: string;
  joined_at: string;
}

/** Every script fingerprint, honeypot transcripts' and conversation-guard calls' alike (migration 0028). */
export interface ScriptFingerprintsTable {
  /** `honeypot:<transcript id>` or `guard:<call id>`. */
  id: string;
  source: 'honeypot' | 'guard';
  caller: string;
  /** The organisation that followed a guard call; null for a honeypot transcript. */
  party: string | null;
  /** MinHash signature, JSON array of numbers (never the text). */
  fingerprint: string;
  at: string;
}

/** LSH band keys of each fingerprint (src/campaigns/lsh.ts): the look-up of similar scripts. */
export interface ScriptBandsTable {
  /** Below 2^53; bigint on PostgreSQL. */
  band: number;
  script_id: string;
}

export interface CampaignTables {
  campaigns: CampaignsTable;
  campaign_members: CampaignMembersTable;
  honeypots: HoneypotsTable;
  honeypot_hits: HoneypotHitsTable;
  honeypot_transcripts: HoneypotTranscriptsTable;
  script_fingerprints: ScriptFingerprintsTable;
  script_bands: ScriptBandsTable;
}
