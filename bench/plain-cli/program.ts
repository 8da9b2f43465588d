// Baseline for `npm run bench -- engine`: the same sim program the engine adapter runs inline.
import { simProgram } from '../../stacks/sim/program.ts';
import { simSpec } from '../../tests/support/specs.ts';

const cloudDir = process.env.KAAS_BENCH_CLOUD_DIR;
if (!cloudDir) throw new Error('KAAS_BENCH_CLOUD_DIR is not set');
export default simProgram(simSpec(), { clusterId: 'c0bench' }, { cloudDir });
