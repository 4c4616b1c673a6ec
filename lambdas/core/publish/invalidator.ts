
/** Tells the CDN which paths changed. */
export interface CdnInvalidator {
  invalidate(paths: string[]): Promise<void>;
}

/** No CDN in front (local run) or TTL-only caching: nothing to do. */
export const noInvalidation: CdnInvalidator = { invalidate: async () => {} };
