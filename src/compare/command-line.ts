// What both compare commands share on the command line: usage, the usage error, number flags and
// the process's input and output as the commands see them.
import type { Pacing } from './get-client.js';

export const COMPARE_USAGE = `  compare --real-url BASE [--real-key KEY] [--ours-url BASE --ours-key KEY]
          [--max-orders N] [--rate R] [--json] [--markdown FILE] [--redact-enums] [--dry-run]
                                            compare a real account's answers with ours, shape by shape
                                            (GET only; keys also from CASA_COMPARE_REAL_KEY / CASA_COMPARE_OURS_KEY)
  compare webhooks --listen HOST:PORT [--max-calls N] [--json] [--markdown FILE] [--redact-enums]
                                            receive a real company's webhook calls and compare them with ours`;

export class CompareUsageError extends Error {}

export interface CompareIo {
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
  /** Time for the real side's pacing (tests pass their own). */
  pacing?: Pacing;
  /** Resolves when the user asks the webhook listener to stop (Ctrl-C by default). */
  interrupted?: Promise<void>;
}

export function positiveNumber(raw: string, flag: string, integer: boolean): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new CompareUsageError(`${flag} must be a ${integer ? 'whole ' : ''}number above 0, got "${raw}"`);
  return value;
}
