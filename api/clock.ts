/** The platform's clock: the services' injected one (tests), else the system's. */
export function clockOf(services: { clock?: { now(): number } | undefined }): () => number {
  return () => (services.clock ? services.clock.now() : Date.now());
}
