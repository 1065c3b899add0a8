/**
 * The browser's tabs of one build: jobs run at most `limit` at once (one per core), and a tab left
 * without a job helps a job still running with work that job offers to share (the pictures of a
 * long edition), rather than waiting for it idle.
 */

/** A build its caller no longer wants (a newer save in the dev server): nothing of it is kept. */
export class BuildCancelled extends Error {
  constructor() {
    super('cancelled: a newer build replaces it');
  }
}

/** Work a running job lets idle tabs do beside it; each helper runs it once, until it says there is no more. */
export type Help = () => Promise<void>;

export interface TabPool {
  /**
   * Runs jobs, at most `limit` at once; their results in order. Every job started ends before this
   * does, even when one fails (the others' files would land in a deck already discarded); none
   * starts once `cancelled` says so. Helpers started by idle tabs end before it does too.
   */
  run<T>(jobs: readonly (() => Promise<T>)[]): Promise<T[]>;
  /** Offers `help` to tabs left idle while the job that offers it runs; withdrawn when it returns. */
  offer(help: Help): () => void;
}

export function tabPool(limit: number, cancelled?: () => boolean): TabPool {
  const offers = new Set<Help>();
  let wake: () => void = () => undefined;
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const notify = (): void => {
    const resolve = wake;
    changed = new Promise<void>((next) => (wake = next));
    resolve();
  };
  return {
    offer(help) {
      offers.add(help);
      notify();
      return () => {
        offers.delete(help);
      };
    },
    async run<T>(jobs: readonly (() => Promise<T>)[]): Promise<T[]> {
      const results: T[] = new Array<T>(jobs.length);
      let next = 0;
      let running = 0;
      let failed = false;
      const worker = async (): Promise<void> => {
        const helped = new Set<Help>();
        while (!failed) {
          if (next < jobs.length) {
            if (cancelled?.()) throw new BuildCancelled();
            const at = next++;
            running += 1;
            try {
              results[at] = await jobs[at]!();
            } catch (error) {
              failed = true;
              throw error;
            } finally {
              running -= 1;
              notify();
            }
            continue;
          }
          const help = [...offers].find((offered) => !helped.has(offered));
          if (help) {
            helped.add(help);
            // A helper is only ever a speed-up: what it leaves undone, the job that offered it does.
            await help().catch(() => undefined);
          } else if (running > 0) await changed;
          else return;
        }
      };
      // As many tabs as the limit, even for fewer jobs: those without one help the others.
      const outcomes = await Promise.allSettled(Array.from({ length: Math.max(1, limit) }, worker));
      const failure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failure) throw failure.reason;
      return results;
    },
  };
}
