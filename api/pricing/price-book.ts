/**
 * The price book: every price file under pricing/<cloud>/<region>.yaml, read and validated
 * (platform/price-list.ts) once, on first use; an invalid file is an error naming it, not a
 * silently missing region. `estimateSpec` prices a spec with the version calendar's phase of
 * its Kubernetes minor on today's date (extended support costs more).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { estimateMonthlyCost, type CostEstimate } from '../../platform/cost-estimate.ts';
import { DomainError } from '../../platform/errors.ts';
import { parsePriceList, type PriceList } from '../../platform/price-list.ts';
import { supportPhase } from '../../platform/version-policy.ts';
import { utcDate, VERSION_CALENDAR } from '../versions/version-rules.ts';

/** The shipped price files. */
export const SHIPPED_PRICING_DIR = fileURLToPath(new URL('../../pricing/', import.meta.url));

/** Price lists by `cloud/region`. */
export type PriceBook = ReadonlyMap<string, PriceList>;

/** Reads and validates every `<cloud>/<region>.yaml` under `dir`. */
export function loadPriceBook(dir: string = SHIPPED_PRICING_DIR): PriceBook {
  const book = new Map<string, PriceList>();
  for (const cloud of fs.readdirSync(dir).sort()) {
    const cloudDir = path.join(dir, cloud);
    if (!fs.statSync(cloudDir).isDirectory()) continue;
    for (const file of fs.readdirSync(cloudDir).filter((f) => f.endsWith('.yaml')).sort()) {
      const region = file.slice(0, -'.yaml'.length);
      const where = { file: `pricing/${cloud}/${file}`, cloud, region };
      let doc: unknown;
      try {
        doc = parseYaml(fs.readFileSync(path.join(cloudDir, file), 'utf8'));
      } catch (err) {
        throw new DomainError('VALIDATION', `price file ${where.file} is not valid YAML: ${(err as Error).message}`, { hint: 'fix the file' });
      }
      book.set(`${cloud}/${region}`, parsePriceList(doc, where));
    }
  }
  return book;
}

let shipped: PriceBook | undefined;

/** The shipped price book, loaded once. */
export function shippedPriceBook(): PriceBook {
  shipped ??= loadPriceBook();
  return shipped;
}

/** The estimate of `spec` from `book` on `now`'s date. */
export function estimateSpec(spec: ClusterSpec, book: PriceBook = shippedPriceBook(), now: Date = new Date()): CostEstimate {
  const phase = supportPhase(VERSION_CALENDAR, spec.target.cloud, spec.kubernetesVersion, utcDate(now));
  return estimateMonthlyCost(spec, book.get(`${spec.target.cloud}/${spec.target.region}`), phase === 'extended' ? 'extended' : 'standard');
}
