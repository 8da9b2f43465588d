/**
 * Runs one `up` of the test sim spec and never returns on purpose: the crash-recovery test
 * SIGKILLs this process's whole group (node, the pulumi CLI and its provider) mid-flight.
 * Usage: node tests/support/crash-up.ts <home> <backendUrl> <cloudDir> <stackName> <clusterId>
 */
import { Engine } from '../../stacks/engine/engine.ts';
import { findPulumiBinDir } from '../../stacks/engine/pulumi-cli.ts';
import { simProgram } from '../../stacks/sim/program.ts';
import { simSpec } from './specs.ts';

const [home, backendUrl, cloudDir, stackName, clusterId] = process.argv.slice(2) as [string, string, string, string, string];
const engine = new Engine({ home, backendUrl, secretsProvider: 'passphrase', passphrase: 'test-passphrase', pulumiBinDir: findPulumiBinDir(process.env), hostPath: process.env.PATH ?? '' });
await engine.up(
  { stackName, program: simProgram(simSpec(), { clusterId }, { cloudDir }) },
  { onEvent: (e) => process.stdout.write(JSON.stringify(e) + '\n') },
);
process.stdout.write('UP-FINISHED\n');
