// Shard 2 of 2: every documented POST/PATCH/PUT operation given deep, wide and odd JSON bodies,
// with and without an Idempotency-Key: no body of any shape may produce a 5xx (see fuzz-operations.ts).
import { fuzzOperations, oddBody } from './fuzz-operations.js';

fuzzOperations(1, {
  title: 'deep, wide and odd bodies on every operation that takes one',
  methods: ['POST', 'PATCH', 'PUT'],
  bodies: oddBody,
  idempotencyKeys: true,
  runs: Number(process.env.FUZZ_RUNS || 40),
  shards: 2,
});
