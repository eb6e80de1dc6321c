// The entry of a worker thread when the server runs from src/ under tsx (see thread.ts): plain
// JavaScript, since nothing compiles TypeScript in this thread until tsx is registered here.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
