import { AnalyticsInputError } from './validate';

/**
 * Alert engine: per-pair rules on |z|, spread width, correlation floor, ADF p-value ceiling and stale data.
 * A rule is *active* once its value breaches the threshold and re-arms only after the value retreats past
 * the threshold by `hysteresis`, so a value hovering at the threshold fires once; `cooldownMs` additionally
 * swallows activations within that time of the rule's previous firing. Evaluation only sees the metrics
 * passed in (values at or before `time`); the engine returns firing events and does no I/O.
 */
export type AlertRuleKind = 'zscore' | 'spreadWidth' | 'correlationFloor' | 'adfPValue' | 'stale';

export interface AlertRule {
  kind: AlertRuleKind;
  /** |z| ≥ threshold; |spread| ≥ threshold; correlation ≤ threshold; p-value ≥ threshold; data age (ms) ≥ threshold. */
  threshold: number;
  /** How far back past the threshold the value must go to re-arm. Default 10% of |threshold| (0 for stale). */
  hysteresis?: number;
  /** Minimum ms between two firings of this rule for one pair. Default 0. */
  cooldownMs?: number;
  /** Name used in events (default: the kind). */
  name?: string;
}

/** The values a rule may look at, all as of `time`. NaN/undefined means "not defined yet": state is kept. */
export interface AlertMetrics {
  zScore?: number;
  spread?: number;
  correlation?: number;
  adfPValue?: number;
  /** Time (UTC ms) of the newest bar, for the stale rule. */
  lastBarTime?: number;
}

/** `AlertMetrics` of consecutive bars, one array per metric, index t = bar t (NaN: not defined at that bar). */
export interface AlertMetricSeries {
  zScore?: Float64Array;
  spread?: Float64Array;
  correlation?: Float64Array;
  adfPValue?: Float64Array;
  lastBarTime?: Float64Array;
}

export interface AlertEvent {
  time: number;
  pair: string;
  rule: string;
  value: number;
  threshold: number;
  message: string;
}

interface RuleState {
  active: boolean;
  lastFired: number;
}

const DESCRIPTION: Record<AlertRuleKind, (v: number, t: number) => string> = {
  zscore: (v, t) => `|z| = ${Math.abs(v).toFixed(3)} reached ${t}`,
  spreadWidth: (v, t) => `|spread| = ${Math.abs(v).toPrecision(6)} reached ${t}`,
  correlationFloor: (v, t) => `correlation ${v.toFixed(4)} fell to or below the floor ${t}`,
  adfPValue: (v, t) => `ADF p-value ${v.toPrecision(4)} rose to or above the ceiling ${t}`,
  stale: (v, t) => `no new bar for ${Math.round(v)} ms (limit ${t} ms)`,
};

/** The metric each rule kind looks at (for `stale`, the newest bar's time: its value is the data's age). */
const METRIC: Record<AlertRuleKind, keyof AlertMetrics> = {
  zscore: 'zScore',
  spreadWidth: 'spread',
  correlationFloor: 'correlation',
  adfPValue: 'adfPValue',
  stale: 'lastBarTime',
};

/** A rule's value from one metric reading: the metric itself, or for `stale` the time since it. */
function ruleValue(rule: AlertRule, time: number, metric: number | undefined): number {
  if (metric === undefined) return NaN;
  return rule.kind === 'stale' ? time - metric : metric;
}

function valueOf(rule: AlertRule, time: number, m: AlertMetrics): number {
  return ruleValue(rule, time, m[METRIC[rule.kind]]);
}

/** Signed distance into the breach region: ≥ 0 means breached; re-arm needs < −hysteresis. */
function breachDepth(rule: AlertRule, value: number): number {
  switch (rule.kind) {
    case 'zscore':
    case 'spreadWidth':
      return Math.abs(value) - rule.threshold;
    case 'correlationFloor':
      return rule.threshold - value;
    case 'adfPValue':
    case 'stale':
      return value - rule.threshold;
  }
}

/** One rule's state change on a value as of `time`; true when the rule fires now. NaN keeps the state. */
function advance(rule: Required<AlertRule>, st: RuleState, value: number, time: number): boolean {
  if (Number.isNaN(value)) return false;
  const depth = breachDepth(rule, value);
  if (st.active) {
    if (depth < -rule.hysteresis || (rule.hysteresis === 0 && depth < 0)) st.active = false;
    return false;
  }
  if (depth < 0) return false;
  st.active = true;
  if (time - st.lastFired < rule.cooldownMs) return false;
  st.lastFired = time;
  return true;
}

function eventOf(pair: string, rule: Required<AlertRule>, time: number, value: number): AlertEvent {
  return { time, pair, rule: rule.name, value, threshold: rule.threshold, message: `${pair}: ${DESCRIPTION[rule.kind](value, rule.threshold)}` };
}

export function validateRule(rule: AlertRule): Required<AlertRule> {
  if (!(rule.kind in DESCRIPTION)) throw new AnalyticsInputError(`unknown alert rule kind "${String(rule.kind)}": use one of ${Object.keys(DESCRIPTION).join(', ')}`);
  if (!Number.isFinite(rule.threshold)) throw new AnalyticsInputError(`alert rule ${rule.kind}: threshold must be a finite number, got ${rule.threshold}`);
  const hysteresis = rule.hysteresis ?? (rule.kind === 'stale' ? 0 : 0.1 * Math.abs(rule.threshold));
  const cooldownMs = rule.cooldownMs ?? 0;
  if (!(hysteresis >= 0)) throw new AnalyticsInputError(`alert rule ${rule.kind}: hysteresis must be ≥ 0, got ${hysteresis}`);
  if (!(cooldownMs >= 0)) throw new AnalyticsInputError(`alert rule ${rule.kind}: cooldownMs must be ≥ 0, got ${cooldownMs}`);
  return { kind: rule.kind, threshold: rule.threshold, hysteresis, cooldownMs, name: rule.name ?? rule.kind };
}

export class AlertEngine {
  private readonly rules = new Map<string, Required<AlertRule>[]>();
  private readonly states = new Map<string, RuleState[]>();

  constructor(rulesByPair: Record<string, readonly AlertRule[]> = {}) {
    for (const [pair, rules] of Object.entries(rulesByPair)) this.setRules(pair, rules);
  }

  /** Replaces a pair's rules (and resets their state). */
  setRules(pair: string, rules: readonly AlertRule[]): void {
    const checked = rules.map(validateRule);
    const names = new Set(checked.map((r) => r.name));
    if (names.size !== checked.length) throw new AnalyticsInputError(`pair ${pair}: two alert rules share a name; give each rule a distinct name`);
    this.rules.set(pair, checked);
    this.states.set(pair, checked.map(() => ({ active: false, lastFired: -Infinity })));
  }

  rulesFor(pair: string): readonly Required<AlertRule>[] {
    return this.rules.get(pair) ?? [];
  }

  /** Evaluates a pair's rules on metrics as of `time` and returns the alerts that fire now. */
  evaluate(pair: string, time: number, metrics: AlertMetrics): AlertEvent[] {
    const rules = this.rules.get(pair);
    const states = this.states.get(pair);
    if (!rules || !states) return [];
    let events: AlertEvent[] | null = null;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      const value = valueOf(rule, time, metrics);
      if (advance(rule, states[i], value, time)) (events ??= []).push(eventOf(pair, rule, time, value));
    }
    return events ?? [];
  }

  /**
   * `evaluate` at every bar of a series in turn (bar t sees the metrics at index t, as of `time[t]`), with the
   * same state changes and the same events in the same order. Rules keep separate states, so each one runs over
   * all bars in one tight loop: no per-bar call or metrics object, which at 86,400 bars is most of the cost.
   */
  evaluateSeries(pair: string, time: Float64Array, metrics: AlertMetricSeries): AlertEvent[] {
    const rules = this.rules.get(pair);
    const states = this.states.get(pair);
    if (!rules || !states) return [];
    const fired: { bar: number; rule: number; event: AlertEvent }[] = [];
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      const st = states[r];
      const source = metrics[METRIC[rule.kind]];
      if (!source) continue; // not defined at any bar: the state is kept
      if (source.length !== time.length) {
        throw new AnalyticsInputError(`alert metrics for rule ${rule.name} have ${source.length} values but time has ${time.length}: pass one value per bar`);
      }
      for (let t = 0; t < time.length; t++) {
        const value = ruleValue(rule, time[t], source[t]);
        if (advance(rule, st, value, time[t])) fired.push({ bar: t, rule: r, event: eventOf(pair, rule, time[t], value) });
      }
    }
    fired.sort((a, b) => a.bar - b.bar || a.rule - b.rule);
    return fired.map((f) => f.event);
  }

  /** Whether each rule of a pair is currently active (breached and not yet re-armed). */
  activeRules(pair: string): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    const rules = this.rules.get(pair) ?? [];
    const states = this.states.get(pair) ?? [];
    rules.forEach((r, i) => (out[r.name] = states[i].active));
    return out;
  }
}
