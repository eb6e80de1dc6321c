// Shard 3 of the fuzzing of every documented operation (see fuzz-operations.ts).
import { fuzzOperations } from './fuzz-operations.js';

fuzzOperations(2);
