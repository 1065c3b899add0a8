/**
 * The build's tabs (src/build/tabs.ts): jobs at most `limit` at once, results in order, and a tab
 * left without a job helping a running one with the work it offers; a helper that fails costs
 * nothing but its share, a job that fails fails the run once every started job has ended.
 */
import { describe, expect, it } from 'vitest';
import { BuildCancelled, tabPool } from '../src/build/tabs.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/** A job that takes items off a shared list, offering idle tabs to take them too; who took what. */
function sharedJob(pool: ReturnType<typeof tabPool>, items: number, helperFails = false): { job: () => Promise<string[]>; takenBy: Map<number, string> } {
  const takenBy = new Map<number, string>();
  const pending = Array.from({ length: items }, (_, index) => index);
  const take = async (who: string): Promise<void> => {
    for (let item = pending.shift(); item !== undefined; item = pending.shift()) {
      await tick();
      if (who === 'helper' && helperFails) {
        pending.unshift(item);
        throw new Error('the helper\'s tab closed');
      }
      takenBy.set(item, who);
    }
  };
  const job = async (): Promise<string[]> => {
    const withdraw = pool.offer(() => take('helper'));
    try {
      await take('owner');
    } finally {
      withdraw();
    }
    // What a failed helper left.
    await take('owner');
    return [...takenBy.values()];
  };
  return { job, takenBy };
}

describe('the tabs of a build', () => {
  it('runs at most `limit` jobs at once and gives their results in order', async () => {
    const pool = tabPool(2);
    let running = 0;
    let most = 0;
    const jobs = [30, 5, 20, 5, 10].map((ms, index) => async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running -= 1;
      return index;
    });
    expect(await pool.run(jobs)).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('lends a tab without a job to the work a running job offers, and both take from it', async () => {
    const pool = tabPool(2);
    const { job, takenBy } = sharedJob(pool, 20);
    await pool.run([job]);
    expect(takenBy.size).toBe(20);
    expect(new Set(takenBy.values())).toEqual(new Set(['owner', 'helper']));
  });

  it('with one tab, the job does all its work itself', async () => {
    const pool = tabPool(1);
    const { job, takenBy } = sharedJob(pool, 10);
    await pool.run([job]);
    expect(new Set(takenBy.values())).toEqual(new Set(['owner']));
  });

  it('a helper that fails costs nothing: the job does what it left', async () => {
    const pool = tabPool(2);
    const { job, takenBy } = sharedJob(pool, 10, true);
    await pool.run([job]);
    expect([...takenBy.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, index) => index));
    expect(new Set(takenBy.values())).toEqual(new Set(['owner']));
  });

  it('a job that fails fails the run, after the jobs already started have ended; none starts once cancelled', async () => {
    const pool = tabPool(2);
    let slowEnded = false;
    const run = pool.run([
      async () => {
        await tick();
        throw new Error('a bad page');
      },
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 40));
        slowEnded = true;
      },
      async () => undefined,
    ]);
    await expect(run).rejects.toThrow('a bad page');
    expect(slowEnded).toBe(true);
    let cancelled = false;
    const started: number[] = [];
    const cancelling = tabPool(1, () => cancelled);
    await expect(cancelling.run([0, 1].map((index) => async () => {
      started.push(index);
      cancelled = true;
    }))).rejects.toBeInstanceOf(BuildCancelled);
    expect(started).toEqual([0]);
  });
});
