/**
 * What every command handler shares: the output streams, the environment, the chosen output
 * format, and a lazily created API client built from the global --url / --token flags.
 */
import type { Command } from 'commander';
import { createApi, type Api } from './client.ts';
import { resolveConnection, type Connection } from './config.ts';
import { CliError } from './errors.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';
import { formatData, parseOutputFormat, type OutputFormat } from './render/output.ts';

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
}

export class Runtime {
  readonly io: Io;
  /** The client of this run, once one was made (for error messages). */
  api: Api | undefined;
  connection: Connection | undefined;
  /** Set by commands whose outcome is not an error but still not success (a failed operation). */
  exitCode: ExitCode = EXIT.OK;

  constructor(io: Io) {
    this.io = io;
  }

  globals(cmd: Command): GlobalFlags {
    return cmd.optsWithGlobals<GlobalFlags>();
  }

  format(cmd: Command): OutputFormat {
    return parseOutputFormat(this.globals(cmd).output);
  }

  /** Where to connect (flags > env > config file), without requiring a token. */
  resolve(cmd: Command): Connection {
    const g = this.globals(cmd);
    this.connection = resolveConnection({ url: g.url, token: g.token }, this.io.env);
    return this.connection;
  }

  /** A client for an authenticated call; fails early (exit 4) when there is no token at all. */
  client(cmd: Command): Api {
    const connection = this.resolve(cmd);
    if (!connection.token) {
      throw new CliError('UNAUTHENTICATED', 'not logged in: no API token', EXIT.FORBIDDEN, { hint: `run \`kaas login --url ${connection.url} --token TOKEN\`, or set KAAS_TOKEN` });
    }
    this.api = createApi(connection);
    return this.api;
  }

  /** Prints data on stdout in the chosen format. */
  print<T>(cmd: Command, data: T, table: (data: T) => string): void {
    this.io.stdout(formatData(data, this.format(cmd), table) + '\n');
  }

  /** A human notice on stderr (never mixed into JSON/YAML on stdout). */
  note(text: string): void {
    this.io.stderr(text + '\n');
  }
}
