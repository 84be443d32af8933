/** How long the camera must stop seeing a handled code before it is handled again. */
export const DEDUPE_WINDOW_MS = 3_000;

/**
 * Remembers the codes we acted on, so a QR held in front of the camera (decoded several times a
 * second) is checked once. The window slides: every sighting of a handled code restarts it, so
 * the ticket still being held up when the result panel closes is not sent again; it needs to be
 * out of view for the whole window first.
 */
export class RecentCodes {
  private readonly lastSeen = new Map<string, number>();

  constructor(
    private readonly windowMs: number = DEDUPE_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `code` was handled and seen again within the window (the sighting is recorded). */
  isRepeat(code: string): boolean {
    const at = this.now();
    const previous = this.lastSeen.get(code);
    if (previous === undefined || at - previous > this.windowMs) return false;
    this.lastSeen.set(code, at);
    return true;
  }

  /** We are acting on `code` now. */
  remember(code: string): void {
    const at = this.now();
    this.lastSeen.set(code, at);
    // A door sees a few thousand codes a night; drop the stale ones as we go.
    for (const [known, seen] of this.lastSeen) {
      if (at - seen > this.windowMs) this.lastSeen.delete(known);
    }
  }
}
