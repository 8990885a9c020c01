// Every `callshield` sub-command registers itself here, one line each.
import type { Command } from 'commander';
import { registerServe } from './serve.js';
import { registerScreen } from './screen.js';
import { registerReport } from './report.js';
import { registerKeys } from './keys.js';
import { registerAudit } from './audit.js';
import { registerImport } from './import.js';
import { registerMigrate } from './migrate.js';

export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [];
commands.push(registerServe, registerScreen, registerReport, registerKeys, registerAudit, registerImport, registerMigrate);
import { registerEval } from './eval.js'; commands.push(registerEval);
import { registerTrain } from './train.js'; commands.push(registerTrain);
import { registerStir } from './stir.js'; commands.push(registerStir);
import { registerDnc } from './dnc.js'; commands.push(registerDnc);
import { registerCdr } from './cdr.js'; commands.push(registerCdr);
import { registerPayments } from './payments.js'; commands.push(registerPayments);
