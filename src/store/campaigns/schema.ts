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

export interface CampaignTables {
  honeypots: HoneypotsTable;
  honeypot_hits: HoneypotHitsTable;
  honeypot_transcripts: HoneypotTranscriptsTable;
}
