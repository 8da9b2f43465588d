/**
 * What every command handler shares: the output streams, the environment, the chosen output
 * format, and a lazily created API client built from the global --url / --token flags.
 */
import type { Command } from 'commander';
import { createApi, type Api } from './client.ts';
import { resolveConnection, type Connection } from './config.ts';
import { CliError } from './errors.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';
import { baseFormat, kindOf, parseOutputSpec, selectOutput } from './output-spec.ts';
import { formatData, type OutputFormat } from './render/output.ts';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  stdinIsTTY: boolean;
}

/** The global flags every command sees. */
export interface GlobalFlags {
  url?: string;
  token?: string;
  output?: string;
  context?: string;
  verbose?: boolean;
}

export class Runtime {
  readonly io: Io;
  /** The client of this run, once one was made (for error messages). */
  api: Api | undefined;
  connection: Connection | undefined;
  /** Set by commands whose outcome is not an error but still not success (a failed operation). */
  exitCode: ExitCode = EXIT.OK;
  /** `--timeout` of a `--wait` command, set before its action runs. */
  waitTimeout: { ms: number; text: string } | undefined;

  constructor(io: Io) {
    this.io = io;
  }

  globals(cmd: Command): GlobalFlags {
    return cmd.optsWithGlobals<GlobalFlags>();
  }

  /** The renderer format: `table`, or `json`/`yaml` (also behind `-o name` and `-o jsonpath`). */
  format(cmd: Command): OutputFormat {
    return baseFormat(parseOutputSpec(this.globals(cmd).output));
  }

  /** Where to connect (flags > env > config file), without requiring a token. */
  resolve(cmd: Command): Connection {
    const g = this.globals(cmd);
    this.connection = resolveConnection({ url: g.url, token: g.token, context: g.context }, this.io.env);
    return this.connection;
  }

  /** A client for an authenticated call; fails early (exit 4) when there is no token at all. */
  client(cmd: Command): Api {
    const connection = this.resolve(cmd);
    if (!connection.token) {
      throw new CliError('UNAUTHENTICATED', 'not logged in: no API token', EXIT.FORBIDDEN, { hint: `run \`kaas login --url ${connection.url} --token TOKEN\`, or set KAAS_TOKEN` });
    }
    this.api = createApi(connection, this.tracer(cmd));
    return this.api;
  }

  /** With -v/--verbose: one stderr line per request (procedure, URL, request id). */
  tracer(cmd: Command): ((line: string) => void) | undefined {
    return this.globals(cmd).verbose ? (line) => this.note(line) : undefined;
  }

  /** Prints data on stdout in the chosen format. */
  print<T>(cmd: Command, data: T, table: (data: T) => string): void {
    const spec = parseOutputSpec(this.globals(cmd).output);
    if (spec.kind === 'format') return this.io.stdout(formatData(data, spec.format, table) + '\n');
    const topic = cmd.parent?.parent ? cmd.parent.name() : cmd.name();
    const text = selectOutput(spec, data, kindOf(topic));
    // like kubectl: jsonpath prints exactly the template, name one line per object
    this.io.stdout(spec.kind === 'name' ? text + '\n' : text);
  }

  /** A human notice on stderr (never mixed into JSON/YAML on stdout). */
  note(text: string): void {
    this.io.stderr(text + '\n');
  }
}
