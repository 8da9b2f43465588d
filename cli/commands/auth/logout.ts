/**
 * `kaas logout`: forget the selected context (its URL and token; the token itself stays valid
 * until revoked). The file goes when its last context does.
 */
import { readConfig, removeConfig, selectedContextName } from '../../config.ts';
import { deleteContext } from '../config/contexts.ts';

export interface LogoutResult {
  configFile: string;
  /** The context forgotten, if there was one. */
  context: string | undefined;
  removed: boolean;
}

export function logout(opts: { configFile: string; context?: string | undefined; env: Record<string, string | undefined> }): LogoutResult {
  const config = readConfig(opts.configFile);
  const name = selectedContextName({ context: opts.context }, opts.env, config);
  if (!config || name === undefined || !Object.hasOwn(config.contexts, name)) return { configFile: opts.configFile, context: undefined, removed: false };
  deleteContext(opts.configFile, name);
  if (Object.keys(config.contexts).length === 1) removeConfig(opts.configFile);
  return { configFile: opts.configFile, context: name, removed: true };
}
