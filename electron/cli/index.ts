// `airlock`: the headless command line over the same core services as the desktop app.
import { Command, CommanderError } from 'commander';
import { AirlockError } from '../core/errors';
import { APP_VERSION } from '../core/version';
import { addAuditCommands, addUserCommands, addWorkspaceCommands } from './commands';
import type { GlobalOptions } from './context';
import { addDemoCommand } from './demo';
import { addIngestCommands } from './ingest-commands';
import { addColumnsCommand } from './date-command';
import { addHoldoutCommand } from './holdout-command';
import { addSpecCommands } from './spec-commands';
import { addTrainCommands } from './train-commands';
import { addValidateCommands } from './validate-commands';
import { addApprovalCommands } from './approval-commands';
import { addVerifyCommand } from './verify-command';

export function buildProgram(): Command {
  const program = new Command('airlock')
    .description('Airlock: synthetic data from sensitive sources, with evidence. Passwords come from a prompt or AIRLOCK_PASSWORD.')
    .version(APP_VERSION)
    .option('-w, --workspace <dir>', 'the workspace folder (or AIRLOCK_WORKSPACE)')
    .option('-u, --user <name>', 'your user name (or AIRLOCK_USER)')
    .option('--json', 'print JSON instead of text')
    .showHelpAfterError()
    // Global options go before the command, so a command's own option (`train 2 --version 4`) is never taken for one.
    .enablePositionalOptions()
    .exitOverride();
  const globals = () => program.opts<GlobalOptions>();
  addWorkspaceCommands(program, globals);
  addUserCommands(program, globals);
  addAuditCommands(program, globals);
  addIngestCommands(program, globals);
  addColumnsCommand(program, globals);
  addHoldoutCommand(program, globals);
  addSpecCommands(program, globals);
  addTrainCommands(program, globals);
  addValidateCommands(program, globals);
  addApprovalCommands(program, globals);
  addVerifyCommand(program);
  addDemoCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof AirlockError) {
      process.stderr.write(`airlock: ${err.message} [${err.code}]\n`);
      return 1;
    }
    process.stderr.write(`airlock: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
