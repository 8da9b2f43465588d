/**
 * The `kaas` program: global flags, every topic, and `run`, which parses argv, runs the command
 * and turns every failure into `error:` / `hint:` lines on stderr and an exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { CliError, formatError, toCliError } from './errors.ts';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.ts';
import { OUTPUT_FORMATS } from './render/output.ts';
import { Runtime, type Io } from './runtime.ts';
import { registerAudit } from './topics/audit.ts';
import { registerAuth } from './topics/auth.ts';
import { registerClusters } from './topics/clusters.ts';
import { registerFleet } from './topics/fleet.ts';
import { registerTargets } from './topics/targets.ts';
import { registerTeams } from './topics/teams.ts';
import { registerTemplates } from './topics/templates.ts';
import { registerVersions } from './topics/versions.ts';
import { registerTokens } from './topics/tokens.ts';

const ENV_HELP = `Environment:
  KAAS_URL      API base URL (overrides the config file; --url overrides it)
  KAAS_TOKEN    API token (overrides the config file; --token overrides it)
  KAAS_CONFIG   config file (default ~/.config/kaas/config.json, written by \`kaas login\`)
  KAAS_DEBUG=1  print stack traces of unexpected errors`;

export function buildProgram(rt: Runtime): Command {
  const program = new Command('kaas')
    .description('kaas: self-service Kubernetes clusters')
    .version('0.1.0', '-v, --version')
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('--url <url>', 'API base URL, e.g. http://127.0.0.1:7080')
    .option('--token <token>', 'API token')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\n${ENV_HELP}`)
    .configureOutput({ writeOut: (s) => rt.io.stdout(s), writeErr: (s) => rt.io.stderr(s) });
  registerAuth(program, rt);
  registerClusters(program, rt);
  registerTemplates(program, rt);
  registerVersions(program, rt);
  registerFleet(program, rt);
  registerTargets(program, rt);
  registerTeams(program, rt);
  registerTokens(program, rt);
  registerAudit(program, rt);
  // every (sub)command reports usage errors through `run` instead of exiting
  const override = (cmd: Command) => {
    cmd.exitOverride().configureOutput({ writeOut: (s) => rt.io.stdout(s), writeErr: (s) => rt.io.stderr(s) });
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const rt = new Runtime(io);
  const program = buildProgram(rt);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return rt.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are not errors; commander has already printed its message for the rest
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
      return EXIT.USAGE;
    }
    const error = toCliError(err, { url: rt.connection?.url, requestId: rt.api?.lastRequestId() });
    for (const line of formatError(error)) io.stderr(line + '\n');
    if (io.env.KAAS_DEBUG === '1' && !(err instanceof CliError) && err instanceof Error && err.stack) io.stderr(err.stack + '\n');
    return error.exitCode;
  }
}
