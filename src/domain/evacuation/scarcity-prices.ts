// Prices that steer flexible groups away from points and legs that turned out scarce. After a round
// of planning, every group left waiting adds pressure to the resources that blocked its options;
// the next round sees those resources as costlier, so groups that have other choices make them.
import type { AssignmentEngine } from './assignment-engine.ts';

/** A resource that ended a round with room left keeps this share of its price. */
const PRICE_DECAY = 0.5;

/**
 * Raises the price (in hours) of each point and leg by the demand left waiting on it, relative to its
 * size, and halves the price of those that still had room.
 */
export function raiseScarcityPrices(
  engine: AssignmentEngine,
  waiting: readonly number[],
  hoursAtFullPressure: number,
): void {
  const { model } = engine;
  const pointPressure = new Float64Array(model.assemblyPointIds.length);
  const legPressure = new Float64Array(model.legIds.length);
  const blockedPoints: number[] = [];
  const blockedLegs: number[] = [];
  for (const group of waiting) {
    if (engine.groupLeg[group]! >= 0) continue;
    const size = engine.travellerCount(group);
    const readyAt = model.groupDocumentsReadyAt[group]!;
    blockedPoints.length = 0;
    blockedLegs.length = 0;
    for (let slot = engine.candidateStart[group]!; slot < engine.candidateStart[group + 1]!; slot++) {
      const point = engine.candidatePoint[slot]!;
      if (model.pointCapacity[point]! < size) continue;
      if (engine.pointFree[point]! < size) {
        if (hasSuitableLeg(engine, group, point)) blockedPoints.push(point);
        continue;
      }
      for (let option = model.optionStart[point]!; option < model.optionStart[point + 1]!; option++) {
        if (model.optionDepartsAt[option]! < readyAt) continue;
        const leg = model.optionLeg[option]!;
        if (!fitsStatically(engine, group, leg)) continue;
        if (engine.hasExclusions && engine.isExcluded(group, leg)) continue;
        blockedLegs.push(leg);
      }
    }
    const share = size / Math.max(1, blockedPoints.length + blockedLegs.length);
    for (const point of blockedPoints) pointPressure[point]! += share;
    for (const leg of blockedLegs) legPressure[leg]! += share;
  }
  for (let point = 0; point < pointPressure.length; point++) {
    if (engine.pointFree[point]! > 0) engine.pointPrice[point]! *= PRICE_DECAY;
    if (pointPressure[point]! > 0) {
      engine.pointPrice[point]! +=
        (hoursAtFullPressure * pointPressure[point]!) / Math.max(1, model.pointCapacity[point]!);
    }
  }
  for (let leg = 0; leg < legPressure.length; leg++) {
    if (engine.regularFree[leg]! + engine.medicalFree[leg]! > 0) engine.legPrice[leg]! *= PRICE_DECAY;
    if (legPressure[leg]! > 0) {
      engine.legPrice[leg]! += (hoursAtFullPressure * legPressure[leg]!) / Math.max(1, model.legSeats[leg]!);
    }
  }
}

/** Whether the leg, empty, could take the group: enough places of the kinds its travellers need. */
function fitsStatically(engine: AssignmentEngine, group: number, leg: number): boolean {
  const { model } = engine;
  const seats = model.legSeats[leg]!;
  const medical = model.legMedicalSeats[leg]!;
  return (
    seats >= engine.travellerCount(group) &&
    medical >= model.groupMedicalMust[group]! &&
    seats - medical >= model.groupMedicalNone[group]!
  );
}

/** Whether some leg at the point, departing once the group's documents are ready, could take it. */
function hasSuitableLeg(engine: AssignmentEngine, group: number, point: number): boolean {
  const { model } = engine;
  const readyAt = model.groupDocumentsReadyAt[group]!;
  for (let option = model.optionStart[point]!; option < model.optionStart[point + 1]!; option++) {
    const leg = model.optionLeg[option]!;
    if (model.optionDepartsAt[option]! >= readyAt && fitsStatically(engine, group, leg)) {
      if (!(engine.hasExclusions && engine.isExcluded(group, leg))) return true;
    }
  }
  return false;
}
