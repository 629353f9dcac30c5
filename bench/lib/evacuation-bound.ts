// An upper bound on the planner's objective (priority-weighted people evacuated) from the LP
// relaxation of the assignment problem, solved by HiGHS, for an operation with nobody aboard yet.
//
// The relaxation lets groups split and people travel fractionally; every other hard rule stays:
// distance to the point (for every member of the group), accessibility, assembly point capacity, leg
// seats by kind (regular and medical), document readiness (the group's latest), departures after the
// plan time, opening hours and hub transfers. People are aggregated without loss: a class holds the
// people who share their group's exact set of reachable points, their own medical seat need and their
// group's document threshold (readiness rounded up to the earliest departure it admits from those
// points, which admits exactly the same legs), with a count per tier. At each point, a chain over the
// usable legs in departure order carries people forward in time: a class enters the chain at its
// threshold and may board that leg or any later one. As the aggregation loses nothing, the optimum is
// that of the LP relaxation itself, which no plan that keeps groups whole can beat.
import type { EvacuationInput, PlanningSettings } from '../../src/domain/evacuation/evacuation-types.ts';
import { tierOfEvacuee, yearAt } from '../../src/domain/evacuation/priority-tiers.ts';

export type BoundModel = {
  /** One LP (CPLEX LP format) per independent component of the operation. */
  lps: string[];
  variables: number;
  constraints: number;
  classes: number;
  /** People who could not travel under any plan (nothing in reach, no document date): not in the model. */
  peopleOutOfModel: number;
};

export type BoundResult = {
  /** HiGHS's status for the first component not solved to optimality, or `Optimal`. */
  status: string;
  bound: number | null;
  solveMs: number;
};

const NONE = 0;
const MAY = 1;
const MUST = 2;

function greatCircleKm(latA: number, lonA: number, latB: number, lonB: number): number {
  const r = Math.PI / 180;
  const h =
    Math.sin(((latB - latA) * r) / 2) ** 2 +
    Math.cos(latA * r) * Math.cos(latB * r) * Math.sin(((lonB - lonA) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

class LpWriter {
  private readonly objective: string[] = [];
  private readonly rows: string[] = [];
  private readonly bounds: string[] = [];
  private variableCount = 0;

  variable(prefix: string, objectiveWeight: number, upper?: number): string {
    const name = `${prefix}${this.variableCount++}`;
    if (objectiveWeight !== 0) this.objective.push(`+ ${objectiveWeight} ${name}`);
    if (upper !== undefined) this.bounds.push(` ${name} <= ${upper}`);
    return name;
  }

  row(terms: readonly string[], sense: '=' | '<=', rhs: number): void {
    if (terms.length === 0) return;
    const lines: string[] = [];
    for (let index = 0; index < terms.length; index += 8) lines.push(terms.slice(index, index + 8).join(' '));
    this.rows.push(` r${this.rows.length}: ${lines.join('\n  ')} ${sense} ${rhs}`);
  }

  get variables(): number {
    return this.variableCount;
  }

  get constraints(): number {
    return this.rows.length;
  }

  text(): string {
    const objective: string[] = [];
    for (let index = 0; index < this.objective.length; index += 8) {
      objective.push(this.objective.slice(index, index + 8).join(' '));
    }
    return [
      'Maximize',
      ` obj: ${objective.join('\n  ')}`,
      'Subject To',
      ...this.rows,
      'Bounds',
      ...this.bounds,
      'End',
      '',
    ].join('\n');
  }
}

function pushTerm(terms: Map<number, string[]>, leg: number, term: string): void {
  const list = terms.get(leg);
  if (list === undefined) terms.set(leg, [term]);
  else list.push(term);
}

/** Builds the aggregated LP relaxation for `input` under the planner's `settings`. */
export function buildBoundModel(input: EvacuationInput, settings: PlanningSettings): BoundModel {
  const { now } = input;
  const maxKm = settings.maxDistanceKm;
  const planYear = yearAt(now);
  const points = input.assemblyPoints;
  const pointIndex = new Map(points.map((p, index) => [p.id, index]));
  const hubs = new Map((input.hubs ?? []).map((h) => [h.id, h]));

  // Legs a new assignment may use from each point, by departure.
  const legsAt: { leg: number; departsAt: number }[][] = points.map(() => []);
  input.legs.forEach((leg, index) => {
    if (leg.cancelled || leg.departsAt < now) return;
    const served =
      leg.origin.kind === 'assembly_point'
        ? [{ point: pointIndex.get(leg.origin.assemblyPointId)!, transfer: 0 }]
        : (hubs.get(leg.origin.hubId)?.assemblyPointIds ?? []).map((id) => ({
            point: pointIndex.get(id)!,
            transfer: hubs.get((leg.origin as { hubId: string }).hubId)!.transferMinutes * 60_000,
          }));
    for (const { point, transfer } of served) {
      const gatherAt = leg.departsAt - transfer;
      const p = points[point]!;
      if (gatherAt >= now && gatherAt >= p.opensAt && gatherAt <= p.closesAt) {
        legsAt[point]!.push({ leg: index, departsAt: leg.departsAt });
      }
    }
  });
  for (const list of legsAt) list.sort((a, b) => a.departsAt - b.departsAt || a.leg - b.leg);

  // Groups into classes.
  const members = new Map<string, number[]>();
  input.evacuees.forEach((evacuee, index) => {
    const list = members.get(evacuee.groupId) ?? [];
    list.push(index);
    members.set(evacuee.groupId, list);
  });
  type Class = { points: number[]; medical: number; threshold: number; people: Map<number, number> };
  const classes = new Map<string, Class>();
  let peopleOutOfModel = 0;
  for (const list of members.values()) {
    const group = list.map((index) => input.evacuees[index]!);
    const tier = Math.min(...group.map((e) => tierOfEvacuee(e, settings.tiers, planYear)));
    const readyAt = Math.max(...group.map((e) => e.documentReadyAt ?? Number.NEGATIVE_INFINITY));
    const needsAccessible = group.some((e) => e.needsMedicalSeat || e.needsAccessibleSite === true);
    const reach: number[] = [];
    if (readyAt < Number.POSITIVE_INFINITY) {
      points.forEach((p, index) => {
        if (needsAccessible && !p.accessible) return;
        if (group.every((e) => greatCircleKm(e.lat, e.lon, p.lat, p.lon) <= maxKm)) reach.push(index);
      });
    }
    if (reach.length === 0) {
      peopleOutOfModel += group.length;
      continue;
    }
    // Readiness matters only through the first leg it admits at each point in reach: round it up to
    // the earliest such departure, so that groups admitted to the same legs share a class.
    let admitsFrom = Number.POSITIVE_INFINITY;
    for (const point of reach) {
      const first = legsAt[point]!.find((option) => option.departsAt >= readyAt);
      if (first !== undefined && first.departsAt < admitsFrom) admitsFrom = first.departsAt;
    }
    if (admitsFrom === Number.POSITIVE_INFINITY) {
      peopleOutOfModel += group.length;
      continue;
    }
    const threshold = readyAt === Number.NEGATIVE_INFINITY ? readyAt : admitsFrom;
    const signature = reach.join(',');
    for (const evacuee of group) {
      const medical = evacuee.needsMedicalSeat
        ? MUST
        : evacuee.vulnerabilities.includes('medical')
          ? MAY
          : NONE;
      const key = `${signature}|${medical}|${threshold}`;
      let entry = classes.get(key);
      if (entry === undefined) {
        entry = { points: reach, medical, threshold, people: new Map() };
        classes.set(key, entry);
      }
      entry.people.set(tier, (entry.people.get(tier) ?? 0) + 1);
    }
  }

  // Points linked by a class that reaches both, or by a leg that both serve, share a component; the
  // components are independent LPs whose optima add up, and several small LPs solve far faster.
  const parent = points.map((_, index) => index);
  const find = (point: number): number => {
    let root = point;
    while (parent[root] !== root) root = parent[root]!;
    parent[point] = root;
    return root;
  };
  const union = (a: number, b: number): void => {
    parent[find(a)] = find(b);
  };
  for (const entry of classes.values()) {
    for (const point of entry.points) union(point, entry.points[0]!);
  }
  const firstPointOfLeg = new Map<number, number>();
  legsAt.forEach((options, point) => {
    for (const { leg } of options) {
      const other = firstPointOfLeg.get(leg);
      if (other === undefined) firstPointOfLeg.set(leg, point);
      else union(point, other);
    }
  });
  const writers = new Map<number, LpWriter>();
  const writerOf = (point: number): LpWriter => {
    const root = find(point);
    let writer = writers.get(root);
    if (writer === undefined) {
      writer = new LpWriter();
      writers.set(root, writer);
    }
    return writer;
  };

  const weightOf = (tier: number): number => settings.tiers[tier - 1]!.weight;
  // Inflows into each point's chain: key `${point}|${medical}` -> option index -> variable names.
  const inflows = new Map<string, Map<number, string[]>>();
  const pointTerms: string[][] = points.map(() => []);
  for (const entry of classes.values()) {
    const lp = writerOf(entry.points[0]!);
    const tiers = [...entry.people.entries()];
    const single = tiers.length === 1 ? tiers[0]! : null;
    const sent: string[] = [];
    for (const point of entry.points) {
      const options = legsAt[point]!;
      const first = options.findIndex((o) => o.departsAt >= entry.threshold);
      if (first < 0) continue;
      const name = lp.variable('u', single === null ? 0 : weightOf(single[0]));
      sent.push(name);
      pointTerms[point]!.push(`+ ${name}`);
      const chainKey = `${point}|${entry.medical}`;
      const chain = inflows.get(chainKey) ?? new Map<number, string[]>();
      inflows.set(chainKey, chain);
      const at = chain.get(first) ?? [];
      at.push(name);
      chain.set(first, at);
    }
    if (sent.length === 0) continue;
    if (single !== null) {
      lp.row(
        sent.map((name) => `+ ${name}`),
        '<=',
        single[1],
      );
    } else {
      const terms = sent.map((name) => `- ${name}`);
      for (const [tier, count] of tiers) terms.push(`+ ${lp.variable('e', weightOf(tier), count)}`);
      lp.row(terms, '=', 0);
    }
  }
  points.forEach((p, index) => {
    if (pointTerms[index]!.length > 0) writerOf(index).row(pointTerms[index]!, '<=', p.capacity);
  });

  // Chains: node i holds the people at the point who may board option i or wait for a later one.
  const regularTerms = new Map<number, string[]>();
  const medicalTerms = new Map<number, string[]>();
  for (const [chainKey, chain] of inflows) {
    const [pointText, medicalText] = chainKey.split('|');
    const point = Number(pointText);
    const lp = writerOf(point);
    const options = legsAt[point]!;
    const medical = Number(medicalText);
    const start = Math.min(...chain.keys());
    let waitingIn: string | null = null;
    for (let option = start; option < options.length; option++) {
      const terms = (chain.get(option) ?? []).map((name) => `+ ${name}`);
      if (waitingIn !== null) terms.push(`+ ${waitingIn}`);
      const leg = options[option]!.leg;
      if (medical !== MUST) {
        const name = lp.variable('v', 0);
        terms.push(`- ${name}`);
        pushTerm(regularTerms, leg, `+ ${name}`);
      }
      if (medical !== NONE) {
        const name = lp.variable('v', 0);
        terms.push(`- ${name}`);
        pushTerm(medicalTerms, leg, `+ ${name}`);
      }
      if (option < options.length - 1) {
        waitingIn = lp.variable('w', 0);
        terms.push(`- ${waitingIn}`);
      }
      lp.row(terms, '=', 0);
    }
  }
  for (const [leg, terms] of regularTerms) {
    const l = input.legs[leg]!;
    writerOf(firstPointOfLeg.get(leg)!).row(terms, '<=', l.seats - l.medicalSeats);
  }
  for (const [leg, terms] of medicalTerms) {
    writerOf(firstPointOfLeg.get(leg)!).row(terms, '<=', input.legs[leg]!.medicalSeats);
  }

  const components = [...writers.values()];
  return {
    lps: components.map((writer) => writer.text()),
    variables: components.reduce((sum, writer) => sum + writer.variables, 0),
    constraints: components.reduce((sum, writer) => sum + writer.constraints, 0),
    classes: classes.size,
    peopleOutOfModel,
  };
}

/** The part of the `highs` package used here: one-shot solve of a model in CPLEX LP format. */
type LpSolver = {
  solve(
    lp: string,
    options: { presolve: 'on'; time_limit: number; output_flag: boolean },
  ): { Status: string; ObjectiveValue: number };
};

/**
 * Loads the HiGHS WebAssembly module. The package's ESM build exports the loader as its default; its
 * type declarations are written for CommonJS, so the loader is found at run time, whichever shape.
 */
async function loadHighs(): Promise<LpSolver> {
  const imported: unknown = (await import('highs')).default;
  const loader = typeof imported === 'function' ? imported : (imported as { default: unknown }).default;
  return (loader as () => Promise<LpSolver>)();
}

/**
 * Solves every component with HiGHS within `timeLimitSeconds` in all; `bound` is the sum of their
 * optima, or null unless every one was proved optimal in time.
 */
export async function solveBoundModel(model: BoundModel, timeLimitSeconds: number): Promise<BoundResult> {
  const highs = await loadHighs();
  const started = performance.now();
  let bound = 0;
  for (const lp of model.lps) {
    const remaining = timeLimitSeconds - (performance.now() - started) / 1000;
    if (remaining <= 0)
      return { status: 'Time limit reached', bound: null, solveMs: performance.now() - started };
    const result = highs.solve(lp, { presolve: 'on', time_limit: remaining, output_flag: false });
    if (result.Status !== 'Optimal')
      return { status: result.Status, bound: null, solveMs: performance.now() - started };
    bound += result.ObjectiveValue;
  }
  return { status: 'Optimal', bound, solveMs: performance.now() - started };
}
