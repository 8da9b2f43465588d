/**
 * Pulumi URN parts: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. The name is
 * everything after the third `::` and may itself contain `::`; see `URN.Name()` in
 * pulumi/pulumi sdk/go/common/resource/urn.go (`strings.SplitN(urn.URNName(), "::", 4)[3]`).
 */

/** The resource name of a URN (its last part), as Pulumi parses it. */
export function urnName(urn: string): string {
  const parts = urn.split('::');
  return parts.length < 4 ? (parts.at(-1) ?? urn) : parts.slice(3).join('::');
}
