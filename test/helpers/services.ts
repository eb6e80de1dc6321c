// The services some tests talk to besides the database, found through environment variables (README,
// "Testing"). A test file that needs one checks it first with a short timeout, so a missing service
// fails that file at once with its name and address instead of leaving a client retrying forever.
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** Resolves when Redis answers PING at `url` within `timeoutMs`; otherwise rejects naming it. */
export async function requireRedis(url = TEST_REDIS_URL, timeoutMs = 3000): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => {}); // the rejection below reports it
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${url} (TEST_REDIS_URL): ${(error as Error).message.replace(/\.$/, '')}. ` +
        'Start it (redis-server --port 6379) or point TEST_REDIS_URL at one; README.md, "Testing".',
      { cause: error },
    );
  } finally {
    redis.disconnect();
  }
}
