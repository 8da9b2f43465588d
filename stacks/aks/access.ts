/** AKS access checks made before any resource exists (pure: no cloud SDK). */
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import { KUBELOGIN_MODES } from '../../platform/target-settings.ts';

/**
 * Refuses what AKS would turn into an open or unmanageable cluster, before any resource exists:
 * a public API server with no authorised ranges (AKS reads an empty `authorizedIPRanges` as "no
 * restriction", https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges), no admin
 * group while local accounts are disabled, an unknown kubelogin mode.
 */
export function assertAksAccess(spec: ClusterSpec, options: { adminGroupObjectIds?: string[] | undefined; kubeloginMode?: string | undefined }): void {
  const net = spec.networking;
  if (!net.privateEndpoint && net.authorizedCidrs.length === 0) {
    throw new DomainError('VALIDATION', 'networking.authorizedCidrs is empty with a public API server: AKS would accept every address on the internet', {
      hint: 'list the CIDRs allowed to reach the API server in networking.authorizedCidrs, or set networking.privateEndpoint=true',
    });
  }
  if (!options.adminGroupObjectIds?.length) {
    throw new DomainError('PRECONDITION_FAILED', 'no adminGroupObjectIds for the AKS cluster: local accounts are disabled, so nobody could administer it', {
      hint: 'set the target setting azure.adminGroupObjectIds (kaas targets create … --aks-admin-group <object-id>)',
    });
  }
  if (options.kubeloginMode !== undefined && !(KUBELOGIN_MODES as readonly string[]).includes(options.kubeloginMode)) {
    throw new DomainError('VALIDATION', `kubeloginMode "${options.kubeloginMode}" is not a kubelogin login mode`, { hint: `use one of ${KUBELOGIN_MODES.join(', ')}` });
  }
}
