// Every `callshield` sub-command: one import and one entry each, in the order `--help` lists them.
import type { Command } from 'commander';
import { registerServe } from './serve.js';
import { registerScreen } from './screen.js';
import { registerReport } from './report.js';
import { registerKeys } from './keys.js';
import { registerOrgs } from './orgs.js';
import { registerAudit } from './audit.js';
import { registerImport } from './import.js';
import { registerMigrate } from './migrate.js';
import { registerEval } from './eval.js';
import { registerTrain } from './train.js';
import { registerStir } from './stir.js';
import { registerDnc } from './dnc.js';
import { registerCdr, registerCdrPublish } from './cdr.js';
import { registerCampaigns, registerHoneypotCommands } from './campaigns.js';
import { registerPayments } from './payments.js';
import { registerTasks } from './tasks.js';
import { registerNamespaces } from './namespaces.js';
import { registerConfig } from './config.js';
import { registerExport } from './export.js';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerServe,
  registerScreen,
  registerReport,
  registerKeys,
  registerOrgs,
  registerAudit,
  registerImport,
  registerMigrate,
  registerEval,
  registerTrain,
  registerStir,
  registerDnc,
  registerCdr,
  registerCdrPublish,
  registerCampaigns,
  registerHoneypotCommands,
  registerPayments,
  registerTasks,
  registerNamespaces,
  registerConfig,
  registerExport,
];
