// The random streams behind a company's sandbox decisions, kept in this process: one for API
// faults and one for webhook chaos. A stream starts again from the seed whenever the settings are
// written (their `updated_at` changes), so writing the same document twice replays the same run.
// Each process keeps its own streams: a seeded run is repeatable against one server process.
import { streamFor, type SandboxSettings } from '../../domain/sandbox-settings.js';

interface Kept {
  version: number;
  random: () => number;
}

const MAX_COMPANIES = 10_000;

export function sandboxStreams() {
  const streams = new Map<string, Kept>();
  return {
    /** The stream for `purpose` of a company's settings written at `version`. */
    stream(companyId: string, purpose: 'faults' | 'webhooks', settings: SandboxSettings, version: number): () => number {
      const key = `${purpose} ${companyId}`;
      let kept = streams.get(key);
      if (!kept || kept.version !== version) {
        if (!kept && streams.size >= MAX_COMPANIES) streams.delete(streams.keys().next().value!);
        kept = { version, random: streamFor(settings.seed, purpose) };
        streams.set(key, kept);
      }
      return kept.random;
    },
  };
}

export type SandboxStreams = ReturnType<typeof sandboxStreams>;
