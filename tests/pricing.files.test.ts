/** Every shipped price file loads and validates; a broken one is refused naming the file and field. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPriceBook, SHIPPED_PRICING_DIR } from '../api/pricing/price-book.ts';
import { parseTemplate } from '../platform/templates.ts';

describe('price files', () => {
  it('load and validate, each with a source and a date', () => {
    const book = loadPriceBook();
    expect([...book.keys()].sort()).toEqual(['aws/eu-west-1', 'aws/us-east-1', 'azure/westeurope', 'gcp/europe-west1', 'sim/local']);
    for (const list of book.values()) {
      expect(list.source.length).toBeGreaterThan(0);
      expect(list.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // the control-plane fees as published: EKS $0.10/h standard, $0.60/h extended support
    // (https://aws.amazon.com/eks/pricing/); GKE management fee $0.10/h
    // (https://cloud.google.com/kubernetes-engine/pricing); AKS Standard tier $0.10/h
    // (https://azure.microsoft.com/en-us/pricing/details/kubernetes-service/)
    expect(book.get('aws/us-east-1')!.controlPlane).toMatchObject({ standard: 0.1, extended: 0.6 });
    expect(book.get('gcp/europe-west1')!.controlPlane.standard).toBe(0.1);
    expect(book.get('azure/westeurope')!.controlPlane.standard).toBe(0.1);
  });

  it("price every machine type the shipped templates can choose, in each cloud's files", () => {
    const book = loadPriceBook();
    const dir = path.join(SHIPPED_PRICING_DIR, '..', 'templates');
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const t = parseTemplate(fs.readFileSync(path.join(dir, file), 'utf8'), file);
      const types = new Set<string>([...(((t.parameters as Record<string, { allowed?: unknown[] }>).machineType?.allowed ?? []) as string[])]);
      for (const p of t.spec.nodePools as { machineType: string }[]) if (!p.machineType.includes('${')) types.add(p.machineType);
      for (const [key, list] of book) {
        if (!key.startsWith(`${t.cloud}/`)) continue;
        for (const type of types) expect(list.machineTypes[type], `${file}: ${type} in ${key}`).toBeGreaterThan(0);
      }
    }
  });

  it.each([
    ['a missing source', (s: string) => s.replace(/^source: .*$/m, ''), /pricing\/aws\/us-east-1\.yaml is invalid: source:/],
    ['a negative price', (s: string) => s.replace('m6i.large: 0.096', 'm6i.large: -1'), /machineTypes\.m6i\.large: must not be negative/],
    ['a region that does not match the file name', (s: string) => s.replace('region: us-east-1', 'region: eu-west-1'), /region: is "eu-west-1" but the file is named us-east-1\.yaml/],
    ['a date that is not YYYY-MM-DD', (s: string) => s.replace('date: "2026-12-02"', 'date: "Dec 2026"'), /date: must be a date YYYY-MM-DD/],
    ['a monthly figure where an hourly one belongs', (s: string) => s.replace('m6i.large: 0.096', 'm6i.large: 70080'), /machineTypes\.m6i\.large: must be USD per hour/],
    ['an unknown field', (s: string) => s.replace('currency: USD', 'currency: USD\ndiscount: 0.2'), /unknown field\(s\) "discount"/],
  ])('refuses %s, naming the file and field', (_case, edit, message) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-pricing-'));
    fs.mkdirSync(path.join(dir, 'aws'));
    fs.writeFileSync(path.join(dir, 'aws', 'us-east-1.yaml'), edit(fs.readFileSync(path.join(SHIPPED_PRICING_DIR, 'aws', 'us-east-1.yaml'), 'utf8')));
    try {
      expect(() => loadPriceBook(dir)).toThrow(message);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
