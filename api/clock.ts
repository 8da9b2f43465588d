/** The platform's clock: the services' injected one (tests), else the system's. */
export function clockOf(services: { clock?: (() => Date) | undefined }): () => number {
  return () => (services.clock ? services.clock().getTime() : Date.now());
}
