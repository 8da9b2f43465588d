/** Rendering of `kaas versions` and of a cluster's version warning. */
import type { CloudVersions, VersionsList } from '../api-types.ts';
import { renderTable } from './table.ts';

const LIST_TEXT: Record<CloudVersions['list'], string> = {
  static: 'static calendar',
  live: 'live list from the cloud',
  'static-fallback': 'static calendar (live list unavailable)',
};

function cloudText(c: CloudVersions): string {
  const head = [
    `${c.cloud}${c.target ? ` (target ${c.target})` : ''}: ${LIST_TEXT[c.list]}${c.liveError ? `: ${c.liveError}` : ''}`,
    `source: ${c.source} (as of ${c.asOf})`,
    ...(c.note ? [`note: ${c.note}`] : []),
    ...(c.extendedSupport ? [`extended support: ${c.extendedSupport}`] : []),
    `node pools: up to ${c.maxNodeSkew} minors behind the control plane (${c.skewSource})`,
  ];
  const table = renderTable(
    [
      { header: 'version', value: (v: CloudVersions['versions'][number]) => v.version },
      { header: 'phase', value: (v) => v.phase },
      { header: 'default', value: (v) => (v.default ? 'yes' : '') },
      { header: 'released', value: (v) => v.released },
      { header: 'end of standard', value: (v) => v.endOfStandardSupport },
      { header: 'end of extended', value: (v) => v.endOfExtendedSupport },
      { header: 'notes', value: (v) => [v.estimated ? 'estimated' : '', v.offeredLive === false ? 'not offered by the cloud' : ''].filter(Boolean).join(', ') },
    ],
    c.versions,
    'no versions',
  );
  return `${head.join('\n')}\n${table}`;
}

/** `kaas versions` as text: one block per cloud. */
export function versionsText(list: VersionsList): string {
  return [`Kubernetes versions on ${list.on}`, ...list.clouds.map(cloudText)].join('\n\n');
}

/** The warning line for a cluster whose version is in extended support or past end of support. */
export function versionWarningText(c: { name: string; versionWarning: { phase: string; message: string } | null }): string | undefined {
  return c.versionWarning ? `warning: cluster ${c.name}: ${c.versionWarning.message}` : undefined;
}
