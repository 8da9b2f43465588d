/** AKS access checks made before any resource exists (pure: no cloud SDK). */
import { DomainError } from '../../platform/errors.ts';
import { KUBELOGIN_MODES } from '../../platform/target-settings.ts';

/**
 * Refuses what the target's settings would turn into an unmanageable AKS cluster, before any
 * resource exists: no admin group while local accounts are disabled, an unknown kubelogin mode.
 * (A public API server without authorised ranges is a spec rule, `apiServerAccessIssues` in
 * platform/cloud-spec-rules.ts, applied by the API and by every program's `assertProgramTarget`.)
 */
export function assertAksAccess(options: { adminGroupObjectIds?: string[] | undefined; kubeloginMode?: string | undefined }): void {
  if (!options.adminGroupObjectIds?.length) {
    throw new DomainError('PRECONDITION_FAILED', 'no adminGroupObjectIds for the AKS cluster: local accounts are disabled, so nobody could administer it', {
      hint: 'set the target setting azure.adminGroupObjectIds (kaas targets create … --aks-admin-group <object-id>)',
    });
  }
  if (options.kubeloginMode !== undefined && !(KUBELOGIN_MODES as readonly string[]).includes(options.kubeloginMode)) {
    throw new DomainError('VALIDATION', `kubeloginMode "${options.kubeloginMode}" is not a kubelogin login mode`, { hint: `use one of ${KUBELOGIN_MODES.join(', ')}` });
  }
}
