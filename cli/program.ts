/**
 * The `kaas` program: global flags, every topic, and `run`, which parses argv, runs the command
 * and turns every failure into `error:` / `hint:` lines on stderr and an exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { KAAS_VERSION } from '../platform/version.ts';
import { createApi } from './client.ts';
import { apiNames, completeWords } from './commands/completion/complete.ts';
import { resolveConnection } from './config.ts';
import { CliError, formatError, toCliError, usageError } from './errors.ts';
import { EXAMPLES } from './examples.ts';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.ts';
import { parseDuration } from './flags.ts';
import { OUTPUT_HELP, parseOutputSpec } from './output-spec.ts';
import { Runtime, type Io } from './runtime.ts';
import { registerConfig } from './topics/config.ts';
import { registerMisc } from './topics/misc.ts';
import { registerAudit } from './topics/audit.ts';
import { registerApprovals } from './topics/approvals.ts';
import { registerAuth } from './topics/auth.ts';
import { registerClusters } from './topics/clusters.ts';
import { registerFleet } from './topics/fleet.ts';
import { registerTargets } from './topics/targets.ts';
import { registerTeams } from './topics/teams.ts';
import { registerTemplates } from './topics/templates.ts';
import { registerVersions } from './topics/versions.ts';
import { registerSso } from './topics/sso.ts';
import { registerTokens } from './topics/tokens.ts';
import { registerLocks } from './topics/locks.ts';
import { registerWebhooks } from './topics/webhooks.ts';

const ENV_HELP = `Environment:
  KAAS_URL      API base URL (overrides the context's; --url overrides it)
  KAAS_TOKEN    API token (overrides the context's; --token overrides it)
  KAAS_CONTEXT  the context to use (instead of the current one; --context overrides it)
  KAAS_CONFIG   config file of contexts (default ~/.config/kaas/config.json, written by \`kaas login\`)
  KAAS_DEBUG=1  print stack traces of unexpected errors`;

/**
 * Commands whose --team is not "the team to act for", so a context's default team does not apply:
 * it sets a context's team, names a new token's team (a platform-admin token has none), or is a
 * filter/selector that would silently narrow an admin's view (audit, fleet selection).
 */
const OWN_TEAM_FLAG = new Set(['login', 'config set-context', 'tokens create', 'audit', 'fleet plan', 'fleet start', 'locks list', 'locks clear', 'webhooks create', 'webhooks list']);

/** The command's path under `kaas`, e.g. "clusters create". */
function pathOf(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Before every action: check --output, apply the context's default team where --team was omitted
 * (not with -A), and check --timeout (only with --wait).
 */
function beforeAction(rt: Runtime, cmd: Command): void {
  parseOutputSpec(rt.globals(cmd).output);
  const o = cmd.opts<{ team?: string; allTeams?: boolean; timeout?: string; wait?: boolean }>();
  if (cmd.options.some((x) => x.long === '--team') && o.team === undefined && !o.allTeams && !OWN_TEAM_FLAG.has(pathOf(cmd))) {
    const team = rt.resolve(cmd).team;
    if (team) cmd.setOptionValueWithSource('team', team, 'config');
  }
  if (o.timeout !== undefined) {
    const ms = parseDuration('--timeout', o.timeout);
    if (!o.wait) throw usageError('--timeout needs --wait: it limits how long the command waits', `add --wait, e.g. --wait --timeout ${o.timeout}`);
    rt.waitTimeout = { ms, text: o.timeout };
  }
}

export function buildProgram(rt: Runtime): Command {
  const program = new Command('kaas')
    .description('kaas: self-service Kubernetes clusters')
    .version(KAAS_VERSION, '--version', 'print the client version (`kaas version` also asks the server)')
    .addOption(new Option('-o, --output <format>', `output format: ${OUTPUT_HELP} (e.g. jsonpath='{.items[*].name}')`).default('table'))
    .option('--context <name>', 'use this saved context instead of the current one (kaas config get-contexts)')
    .option('--url <url>', 'API base URL, e.g. http://127.0.0.1:7080')
    .option('--token <token>', 'API token')
    .option('-v, --verbose', 'print each API request (procedure, URL, request id) on stderr')
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n\n${ENV_HELP}`)
    .configureOutput({ writeOut: (s) => rt.io.stdout(s), writeErr: (s) => rt.io.stderr(s) })
    .hook('preAction', (_self, action) => beforeAction(rt, action));
  registerAuth(program, rt);
  registerConfig(program, rt);
  registerClusters(program, rt);
  registerTemplates(program, rt);
  registerVersions(program, rt);
  registerFleet(program, rt);
  registerTargets(program, rt);
  registerTeams(program, rt);
  registerTokens(program, rt);
  registerSso(program, rt);
  registerAudit(program, rt);
  registerApprovals(program, rt);
  registerLocks(program, rt);
  registerWebhooks(program, rt);
  registerMisc(program, rt);
  // every (sub)command reports usage errors through `run` instead of exiting; marks its required
  // flags, gets --timeout when it has --wait, and its examples
  const override = (cmd: Command) => {
    cmd.exitOverride().configureOutput({ writeOut: (s) => rt.io.stdout(s), writeErr: (s) => rt.io.stderr(s) });
    for (const o of cmd.options) if (o.mandatory && !o.description.endsWith('(required)')) o.description = `${o.description} (required)`;
    if (cmd.options.some((o) => o.long === '--wait')) cmd.option('--timeout <duration>', 'with --wait: stop waiting after DURATION (30s, 10m, 1h30m); the operation goes on (exit 9)');
    const examples = EXAMPLES[pathOf(cmd)];
    if (examples) cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  ${e}`).join('\n')}`);
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const rt = new Runtime(io);
  const program = buildProgram(rt);
  if (argv[0] === '__complete') return complete(program, argv.slice(1), io);
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

/** `kaas __complete WORD…`: completion candidates, one a line; never an error (exit 0). */
async function complete(program: Command, words: string[], io: Io): Promise<number> {
  const flag = (name: string) => {
    const i = words.lastIndexOf(name);
    return i >= 0 && i < words.length - 2 ? words[i + 1] : undefined;
  };
  const api = () => {
    const connection = resolveConnection({ url: flag('--url'), token: flag('--token'), context: flag('--context') }, io.env);
    if (!connection.token) throw new Error('not logged in');
    return createApi(connection);
  };
  try {
    const candidates = await completeWords(program, words.length ? words : [''], apiNames(api, io.env));
    if (candidates.length) io.stdout(candidates.join('\n') + '\n');
  } catch {
    // a broken config file: complete nothing
  }
  return EXIT.OK;
}
