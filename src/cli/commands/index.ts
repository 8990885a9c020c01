// Every `callshield` sub-command: its top-level names and how to load it, in the order `--help`
// lists them. A run loads only the module of the command it names (its imports pull in the store,
// the HTTP server, the models: about 0.9 s for all of them); `--help`, `help` and anything unknown
// load them all. test/unit/cli/commands-index.test.ts checks that each entry registers its names.
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export interface CommandEntry {
  /** The top-level command names its register function adds. */
  readonly names: readonly string[];
  readonly load: () => Promise<RegisterCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { names: ['serve'], load: async () => (await import('./serve.js')).registerServe },
  { names: ['screen'], load: async () => (await import('./screen.js')).registerScreen },
  { names: ['report'], load: async () => (await import('./report.js')).registerReport },
  { names: ['keys'], load: async () => (await import('./keys.js')).registerKeys },
  { names: ['orgs'], load: async () => (await import('./orgs.js')).registerOrgs },
  { names: ['audit'], load: async () => (await import('./audit.js')).registerAudit },
  { names: ['import'], load: async () => (await import('./import.js')).registerImport },
  { names: ['migrate'], load: async () => (await import('./migrate.js')).registerMigrate },
  { names: ['eval', 'eval-holdout'], load: async () => (await import('./eval.js')).registerEval },
  { names: ['train'], load: async () => (await import('./train.js')).registerTrain },
  { names: ['stir'], load: async () => (await import('./stir.js')).registerStir },
  { names: ['dnc'], load: async () => (await import('./dnc.js')).registerDnc },
  { names: ['gen'], load: async () => (await import('./cdr.js')).registerCdr },
  { names: ['cdr'], load: async () => (await import('./cdr.js')).registerCdrPublish },
  { names: ['campaigns'], load: async () => (await import('./campaigns.js')).registerCampaigns },
  { names: ['honeypots'], load: async () => (await import('./campaigns.js')).registerHoneypotCommands },
  { names: ['payments'], load: async () => (await import('./payments.js')).registerPayments },
  { names: ['tasks', 'cases'], load: async () => (await import('./tasks.js')).registerTasks },
  { names: ['namespaces'], load: async () => (await import('./namespaces.js')).registerNamespaces },
  { names: ['config'], load: async () => (await import('./config.js')).registerConfig },
  { names: ['export'], load: async () => (await import('./export.js')).registerExport },
];

/**
 * The register functions a run with these arguments (process.argv after the script) needs: the
 * named command's alone, or every one when the first word names none of them (no command,
 * `help`, a typo that commander answers with its list and a suggestion).
 */
export async function commandsFor(args: readonly string[]): Promise<RegisterCommand[]> {
  const name = args.find((a) => !a.startsWith('-'));
  const entry = COMMANDS.find((c) => name !== undefined && c.names.includes(name));
  return Promise.all((entry ? [entry] : COMMANDS).map((c) => c.load()));
}
