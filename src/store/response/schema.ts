// Row types of the tables that src/store/migrations/0014-joint-response.ts creates.

export interface PlatformNamespacesTable {
  id: string;
  org_id: string;
  org_name: string;
  /** account | email-domain */
  kind: string;
  value: string;
  /** approved | pending | rejected | replaced */
  status: string;
  claimed_by: string;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

export interface ResponseTasksTable {
  id: string;
  case_id: string;
  kind: string;
  identifier: string;
  ask: string;
  org_id: string | null;
  org_name: string | null;
  role: string;
  deadline: string;
  status: string;
  /** JSON list of TaskStep */
  steps: string;
  case_filed_at: string;
  created_at: string;
  updated_at: string;
}

export interface ResponseTables {
  platform_namespaces: PlatformNamespacesTable;
  response_tasks: ResponseTasksTable;
}
