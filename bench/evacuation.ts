// Benchmark of the evacuation planner (issue 7).
//
//   node --import tsx bench/evacuation.ts [--sizes 10000,50000,100000] [--seed 7] [--bound-seconds 90]
//
// For each size it builds a synthetic operation (households around a dozen cities, 200 assembly points,
// 1,000 legs by bus, train, flight and ship, some cancelled or departed; see bench/lib/evacuation-instance.ts),
// plans it once and prints, each beside its goal:
// - planner time, wall clock and CPU (one core): goal <= 3 s at 100,000 evacuees;
// - memory after planning: resident set and V8 heap used;
// - hard-rule violations found by the independent checker (test/evacuation/plan-checker.ts): goal 0;
// - the objective, priority-weighted people evacuated (each person counts their group's tier weight);
// - the ceiling: an upper bound on that objective from the LP relaxation of the assignment problem,
//   solved by HiGHS in the same run (bench/lib/evacuation-bound.ts). The relaxation keeps every hard
//   rule but lets groups split and people travel fractionally, so no plan can score above it; the
//   people are aggregated exactly (reachable points, medical need, document threshold, tier), so the
//   bound is the relaxation's true optimum. Goal: objective >= 99 % of the bound.
//   HiGHS gets a time limit per instance; an instance it cannot solve within it prints no bound.

import { planEvacuation } from '../src/domain/evacuation/plan-evacuation.ts';
import { checkPlan } from '../test/evacuation/plan-checker.ts';
import { buildBoundModel, solveBoundModel } from './lib/evacuation-bound.ts';
import { buildEvacuationInstance } from './lib/evacuation-instance.ts';

const PLAN_SECONDS_GOAL = 3;
const RATIO_GOAL = 0.99;

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1]! : fallback;
}

const sizes = argument('sizes', '10000,50000,100000')
  .split(',')
  .map((size) => Number(size.trim()))
  .filter((size) => Number.isInteger(size) && size > 0);
const seed = Number(argument('seed', '7'));
const boundSeconds = Number(argument('bound-seconds', '90'));

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const row = (label: string, figure: string, goal = ''): void => {
  console.log(`  ${label.padEnd(34)} ${figure.padEnd(34)} ${goal}`);
};

console.log(
  `Evacuation planner benchmark: seed ${seed}, node ${process.version}, ${sizes.join(' / ')} evacuees`,
);
for (const evacuees of sizes) {
  const input = buildEvacuationInstance({
    evacuees,
    assemblyPoints: 200,
    legs: 1000,
    pointRoomPerEvacuee: 1.3,
    seed,
  });
  const seats = input.legs.reduce((sum, leg) => sum + leg.seats, 0);
  console.log(
    `\n${evacuees.toLocaleString('en')} evacuees in ${input.groups.length.toLocaleString('en')} groups, ` +
      `${input.assemblyPoints.length} points, ${input.legs.length} legs (${seats.toLocaleString('en')} seats)`,
  );

  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const plan = planEvacuation(input);
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const memory = process.memoryUsage();
  const timeGoal =
    evacuees === 100_000 ? `goal <= ${PLAN_SECONDS_GOAL} s` : `goal <= ${PLAN_SECONDS_GOAL} s at 100,000`;
  row(
    'planner time (wall / CPU)',
    `${(wallMs / 1000).toFixed(2)} s / ${(cpuMs / 1000).toFixed(2)} s`,
    timeGoal,
  );
  row(
    'memory after planning (rss / heap)',
    `${megabytes(memory.rss)} / ${megabytes(memory.heapUsed)}`,
    'modest',
  );

  const violations = checkPlan(input, plan, { maxDistanceKm: plan.settings.maxDistanceKm });
  row('hard-rule violations (checker)', String(violations.length), 'goal 0');
  const { summary } = plan;
  row(
    'people evacuated',
    `${summary.assigned.toLocaleString('en')} of ${summary.people.toLocaleString('en')}`,
  );
  const reasons = Object.entries(summary.unassignedByReason)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  row('left behind, by reason', reasons === '' ? 'nobody' : reasons);
  row('objective (weighted evacuated)', summary.weightedEvacuated.toLocaleString('en'));

  const boundModel = buildBoundModel(input, plan.settings);
  row(
    'bound LP (aggregated, exact)',
    `${boundModel.variables.toLocaleString('en')} columns, ${boundModel.constraints.toLocaleString('en')} rows`,
    `${boundModel.classes.toLocaleString('en')} classes by (reachable points, medical need, document threshold)`,
  );
  const result = await solveBoundModel(boundModel, boundSeconds);
  if (result.bound === null) {
    row(
      'LP bound (HiGHS)',
      `none: ${result.status} after ${(result.solveMs / 1000).toFixed(1)} s`,
      `limit ${boundSeconds} s`,
    );
    continue;
  }
  row(
    'LP bound (HiGHS)',
    `${Math.round(result.bound).toLocaleString('en')} in ${(result.solveMs / 1000).toFixed(1)} s`,
  );
  const ratio = summary.weightedEvacuated / result.bound;
  row(
    'objective / bound',
    `${(ratio * 100).toFixed(2)} %`,
    `goal >= ${RATIO_GOAL * 100} % ${ratio >= RATIO_GOAL ? '(met)' : '(NOT met)'}`,
  );
}
