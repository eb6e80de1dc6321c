// Shard 1 of the fuzzing of every documented operation (see fuzz-operations.ts).
import { fuzzOperations } from './fuzz-operations.js';

fuzzOperations(0);
