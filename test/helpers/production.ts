// Runs production deterministically in tests: no background loop, the test decides when.
import type { TestApp } from './app.js';

/** Runs production rounds until nothing is due; answers how many orders were taken. */
export async function runProduction(ctx: TestApp, owner?: string): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await ctx.app.services.production.runOnce({ owner });
    if (n === 0) return total;
    total += n;
  }
}

/** Moves the clock past the production delay, then runs production. */
export async function advanceAndProduce(ctx: TestApp, seconds = ctx.config.productionDelayS + 1): Promise<number> {
  ctx.clock.advanceSeconds(seconds);
  return runProduction(ctx);
}
