/** A random UUID v4; `crypto.randomUUID` only exists on secure origins, so fall back to the same by hand. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One key per checkout attempt: the same request sent again (a retry after a timeout or a double
 * click) reuses its key, so the server answers with the booking it already made; a different
 * request (another quantity, another coupon) gets a new key.
 */
export class IdempotencyKeys {
  private last: { fingerprint: string; key: string } | null = null;

  keyFor(request: unknown): string {
    const fingerprint = JSON.stringify(request);
    if (this.last?.fingerprint !== fingerprint) this.last = { fingerprint, key: newIdempotencyKey() };
    return this.last.key;
  }

  /** Forget the key (after the server said it belongs to a different request). */
  reset(): void {
    this.last = null;
  }
}
