// Baseline for `npm run bench -- engine`: the root project's program (stacks/break-glass.ts, the one
// the worker runs) on the same sim spec the engine adapter runs inline.
import { breakGlassProgram } from '../../stacks/break-glass-settings.ts';
import { simSpec } from '../../tests/support/specs.ts';

const cloudDir = process.env.KAAS_BENCH_CLOUD_DIR;
if (!cloudDir) throw new Error('KAAS_BENCH_CLOUD_DIR is not set');
export default breakGlassProgram({ spec: simSpec(), clusterId: 'c0bench', simCloudDir: cloudDir });
