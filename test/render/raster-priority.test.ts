// Production's rasterising yields the CPU to the threads answering requests: on Linux its thread
// runs at a lower priority than the rest of the process.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { RASTER_NICE, rasterize } from '../../src/render/raster.js';

/** A thread's nice value: field 19 of /proc/self/task/<tid>/stat (after the command name's closing parenthesis). */
function niceOf(tid: string): number {
  const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe('the rasterising thread', () => {
  it(
    'draws at nice 10 while every thread that was there before keeps the process priority',
    { skip: process.platform !== 'linux' },
    async () => {
      const before = new Set(fs.readdirSync('/proc/self/task'));
      const base = niceOf(String(process.pid));
      assert.ok(base < RASTER_NICE, `run the tests at a nice value below ${RASTER_NICE} (this one is ${base})`);

      const { png } = await rasterize(
        '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32" fill="#fff"/></svg>',
      );
      assert.equal(png.subarray(1, 4).toString(), 'PNG');

      const threads = fs.readdirSync('/proc/self/task');
      const lowered = threads.filter((tid) => niceOf(tid) === RASTER_NICE);
      assert.ok(lowered.length >= 1, 'a thread at the rasterising priority');
      assert.ok(
        lowered.every((tid) => !before.has(tid)),
        'only threads started for rasterising are lowered',
      );
      for (const tid of before) if (threads.includes(tid)) assert.equal(niceOf(tid), base, `thread ${tid} keeps the process priority`);
    },
  );
});
