/** The kaas version (package.json's), reported by `kaas version` for the client and by the API's `/version`. */
import pkg from '../package.json' with { type: 'json' };

export const KAAS_VERSION: string = pkg.version;
