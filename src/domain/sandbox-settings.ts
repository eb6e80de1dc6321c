// A company's sandbox controls (issue 19): the settings document, its defaults and the pure rules
// over it: which fault rule a request meets, and the seeded random streams that make a run
// repeatable. Off unless set: the defaults inject nothing and change no timing.

export const FAULT_STATUSES = [429, 500, 502, 503, 504] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];
export const FAULT_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export interface FaultMatch {
  method?: (typeof FAULT_METHODS)[number];
  /** The path after the API base; `{name}` matches one path segment. */
  path?: string;
  operation_id?: string;
}

export interface FaultAction {
  status?: FaultStatus;
  /** With status 429 (or 503): the `Retry-After` sent. */
  retry_after_s?: number;
  latency_ms?: number | [number, number];
  hang_s?: number;
}

export interface FaultRule {
  id: string;
  match: FaultMatch;
  rate: number;
  action: FaultAction;
}

export interface WebhookChaos {
  duplicate_rate: number;
  reorder_rate: number;
  delay_rate: number;
  delay_s: number;
  fail_first_rate: number;
  /** How long after the delivery its duplicate follows. */
  duplicate_after_s: number;
  /** The longest a reordered delivery waits for a later event of its order to overtake it. */
  reorder_hold_s: number;
}

export interface SandboxSettings {
  seed: number | null;
  faults: FaultRule[];
  webhooks: WebhookChaos;
  production_delay_s: number | null;
  webhook_schedule_s: number[] | null;
}

export const DEFAULT_WEBHOOK_CHAOS: WebhookChaos = {
  duplicate_rate: 0,
  reorder_rate: 0,
  delay_rate: 0,
  delay_s: 30,
  fail_first_rate: 0,
  duplicate_after_s: 5,
  reorder_hold_s: 30,
};

export function defaultSandboxSettings(): SandboxSettings {
  return { seed: null, faults: [], webhooks: { ...DEFAULT_WEBHOOK_CHAOS }, production_delay_s: null, webhook_schedule_s: null };
}

/** A partial document (as sent or stored) completed with the defaults. */
export function completeSandboxSettings(input: Partial<SandboxSettings>): SandboxSettings {
  const defaults = defaultSandboxSettings();
  return {
    seed: input.seed ?? null,
    faults: (input.faults ?? []).map((r) => ({ id: r.id, match: { ...r.match }, rate: r.rate, action: { ...r.action } })),
    webhooks: { ...defaults.webhooks, ...input.webhooks },
    production_delay_s: input.production_delay_s ?? null,
    webhook_schedule_s: input.webhook_schedule_s ?? null,
  };
}

export interface SandboxProblem {
  loc: (string | number)[];
  msg: string;
}

/** What the schema cannot say: one action per rule, ordered ranges, unique rule ids. */
export function sandboxProblems(settings: SandboxSettings): SandboxProblem[] {
  const problems: SandboxProblem[] = [];
  const seen = new Set<string>();
  settings.faults.forEach((rule, i) => {
    if (seen.has(rule.id)) problems.push({ loc: ['faults', i, 'id'], msg: `fault rule id "${rule.id}" is used twice` });
    seen.add(rule.id);
    const kinds = (['status', 'latency_ms', 'hang_s'] as const).filter((k) => rule.action[k] !== undefined);
    if (kinds.length !== 1) {
      problems.push({ loc: ['faults', i, 'action'], msg: 'give exactly one of status, latency_ms or hang_s' });
    }
    if (rule.action.retry_after_s !== undefined && rule.action.status !== 429 && rule.action.status !== 503) {
      problems.push({ loc: ['faults', i, 'action', 'retry_after_s'], msg: 'retry_after_s goes with status 429 or 503' });
    }
    const latency = rule.action.latency_ms;
    if (Array.isArray(latency) && latency[0] > latency[1]) {
      problems.push({ loc: ['faults', i, 'action', 'latency_ms'], msg: 'the range must be [min, max] with min ≤ max' });
    }
    if (rule.match.path !== undefined && !rule.match.path.startsWith('/')) {
      problems.push({ loc: ['faults', i, 'match', 'path'], msg: 'the path starts with / (the path after /api/integrate/v3)' });
    }
  });
  return problems;
}

/** What a request is matched on. */
export interface FaultTarget {
  method: string;
  /** After the API base, without the query. */
  path: string;
  operationId: string | undefined;
}

const patternCache = new Map<string, RegExp>();

function pathPattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/\/+$/, '')
      .split('/')
      .map((segment) => (/^\{[^}]*\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    re = new RegExp(`^${body}/?$`);
    if (patternCache.size > 1000) patternCache.clear();
    patternCache.set(pattern, re);
  }
  return re;
}

export function ruleMatches(match: FaultMatch, target: FaultTarget): boolean {
  if (match.method !== undefined && match.method !== target.method) return false;
  if (match.operation_id !== undefined && match.operation_id !== target.operationId) return false;
  if (match.path !== undefined && !pathPattern(match.path).test(target.path)) return false;
  return true;
}

/** What the fault rules do to one request: extra latency, then perhaps an answer or a hang instead of the request. */
export interface FaultDecision {
  latencyMs: number;
  /** The rules that added latency, in order. */
  latencyRules: string[];
  /** The rule that answers instead of the request, if one fired. */
  answer: { ruleId: string; status: FaultStatus; retryAfterS: number | null } | null;
  hang: { ruleId: string; seconds: number } | null;
}

/**
 * Runs the rules in order, drawing one number per matching rule (and one more for a latency
 * range), so a seeded stream gives the same decisions for the same requests. Latency adds up; the
 * first status or hang rule that fires ends the run.
 */
export function decideFaults(rules: readonly FaultRule[], target: FaultTarget, random: () => number): FaultDecision | null {
  let decision: FaultDecision | null = null;
  for (const rule of rules) {
    if (!ruleMatches(rule.match, target)) continue;
    const fires = random() < rule.rate;
    const { latency_ms: latency, status, hang_s: hang } = rule.action;
    let extra = 0;
    if (Array.isArray(latency)) {
      const draw = random();
      extra = latency[0] + draw * (latency[1] - latency[0]);
    } else if (latency !== undefined) extra = latency;
    if (!fires) continue;
    decision ??= { latencyMs: 0, latencyRules: [], answer: null, hang: null };
    if (latency !== undefined) {
      decision.latencyMs += Math.round(extra);
      decision.latencyRules.push(rule.id);
    } else if (status !== undefined) {
      decision.answer = {
        ruleId: rule.id,
        status,
        retryAfterS: rule.action.retry_after_s ?? (status === 429 ? 1 : null),
      };
      return decision;
    } else if (hang !== undefined) {
      decision.hang = { ruleId: rule.id, seconds: hang };
      return decision;
    }
  }
  return decision;
}

/**
 * A small seeded generator (mulberry32): uniform numbers in [0, 1). Not for secrets; only for
 * making a sandbox run repeatable.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The stream for one purpose (API faults, webhook chaos) of a seed: each purpose its own sequence. */
export function streamFor(seed: number | null, purpose: 'faults' | 'webhooks'): () => number {
  if (seed === null) return Math.random;
  return seededRandom((seed ^ (purpose === 'faults' ? 0x9e3779b9 : 0x85ebca6b)) >>> 0);
}

/** The webhook chaos chosen for one delivery when it is queued. */
export interface ChaosPlan {
  duplicate: boolean;
  reorder: boolean;
  delay: boolean;
  failFirst: boolean;
}

/**
 * Draws the chaos of one delivery: always four numbers, in this order, whatever the rates, so a
 * seeded stream gives the same choices for the same deliveries in the same order.
 */
export function planWebhookChaos(chaos: WebhookChaos, random: () => number): ChaosPlan {
  const duplicate = random() < chaos.duplicate_rate;
  const reorder = random() < chaos.reorder_rate;
  const delay = random() < chaos.delay_rate;
  const failFirst = random() < chaos.fail_first_rate;
  return { duplicate, reorder, delay, failFirst };
}

/** Whether any webhook chaos is set (any rate above 0). */
export function hasWebhookChaos(chaos: WebhookChaos): boolean {
  return chaos.duplicate_rate > 0 || chaos.reorder_rate > 0 || chaos.delay_rate > 0 || chaos.fail_first_rate > 0;
}
