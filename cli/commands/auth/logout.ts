/** `kaas logout`: forget the saved URL and token (the token itself stays valid until revoked). */
import { removeConfig } from '../../config.ts';

export interface LogoutResult {
  configFile: string;
  removed: boolean;
}

export function logout(opts: { configFile: string }): LogoutResult {
  return { configFile: opts.configFile, removed: removeConfig(opts.configFile) };
}
