// After the greedy rounds, some waiting groups are blocked by one full resource (the room at an assembly
// point, or the seats on a leg) while the people holding it could have gone elsewhere. Moving a few of
// them to another option with room admits the waiting group: the same people travel, plus one group.
import type { AssignmentEngine } from './assignment-engine.ts';

const HOUR_MS = 3_600_000;
/** Options tried per waiting group, best first. */
const OPTIONS_PER_GROUP = 8;
/** Seat-blocked options considered per point. */
const SEAT_OPTIONS_PER_POINT = 2;
/** Groups moved at most to admit one waiting group. */
const MOVES_PER_ADMISSION = 8;

type BlockedOption = { point: number; leg: number; score: number; pointBlocked: boolean };

/** Options the group could take were one resource less full: the point's room or the leg's seats. */
function blockedOptions(engine: AssignmentEngine, group: number): BlockedOption[] {
  const { model } = engine;
  const size = engine.travellerCount(group);
  const readyAt = model.groupDocumentsReadyAt[group]!;
  const none = model.groupMedicalNone[group]!;
  const must = model.groupMedicalMust[group]!;
  const found: BlockedOption[] = [];
  const checkExcluded = engine.hasExclusions;
  for (let slot = engine.candidateStart[group]!; slot < engine.candidateStart[group + 1]!; slot++) {
    const point = engine.candidatePoint[slot]!;
    if (model.pointCapacity[point]! < size) continue;
    const pointBlocked = engine.pointFree[point]! < size;
    const distanceHours = engine.candidateKm[slot]! / model.settings.kmWorthOneHour;
    let seatBlockedAtPoint = 0;
    let option = model.optionStart[point]!;
    while (option < model.optionStart[point + 1]! && model.optionDepartsAt[option]! < readyAt) option++;
    for (; option < model.optionStart[point + 1]!; option++) {
      const leg = model.optionLeg[option]!;
      const seats = model.legSeats[leg]!;
      const medical = model.legMedicalSeats[leg]!;
      if (seats < size || medical < must || seats - medical < none) continue;
      if (checkExcluded && engine.isExcluded(group, leg)) continue;
      const seatBlocked = !engine.fitsLeg(group, leg);
      if (pointBlocked === seatBlocked) continue;
      const score = (model.optionDepartsAt[option]! - model.now) / HOUR_MS + distanceHours;
      found.push({ point, leg, score, pointBlocked });
      // Options at a point come by departure, best first: for a full point every leg frees the same
      // room, so its best leg is enough; for seats, the first few are the only ones that can rank.
      if (pointBlocked || ++seatBlockedAtPoint >= SEAT_OPTIONS_PER_POINT) break;
    }
  }
  return found
    .sort((a, b) => a.score - b.score || a.point - b.point || a.leg - b.leg)
    .slice(0, OPTIONS_PER_GROUP);
}

/**
 * Where scanning the holders of each point and leg may start: holders before it have left or were
 * found unable to move, and capacity elsewhere only shrinks while admitting, so they stay unable.
 */
type HolderCursors = { point: Int32Array; leg: Int32Array };

/** Tries to admit the group on `target` by moving people who hold the blocked resource elsewhere. */
function admitByMoving(
  engine: AssignmentEngine,
  cursors: HolderCursors,
  group: number,
  target: BlockedOption,
): boolean {
  const { point, leg } = target;
  const size = engine.travellerCount(group);
  const holders = target.pointBlocked ? engine.pointGroups[point]! : engine.legGroups[leg]!;
  const cursor = target.pointBlocked ? cursors.point : cursors.leg;
  const resource = target.pointBlocked ? point : leg;
  const moved: { group: number; point: number; leg: number; split: number }[] = [];
  let prefixSettled = true;
  const scanned = holders.length;
  for (let index = cursor[resource]!; index < scanned && moved.length < MOVES_PER_ADMISSION; index++) {
    const holder = holders[index]!;
    const holderPoint = engine.groupPoint[holder]!;
    const holderLeg = engine.groupLeg[holder]!;
    const current =
      (target.pointBlocked ? holderPoint === point : holderLeg === leg) && engine.pinned[holder] === 0;
    let unmovable = false;
    if (current) {
      const holderSplit = engine.groupMayInMedical[holder]!;
      engine.remove(holder);
      // The holder must leave the blocked resource and must not take what the waiting group needs.
      const avoidPoint = target.pointBlocked || holderPoint !== point ? point : -1;
      if (!engine.findBestOption(holder, avoidPoint, leg)) {
        engine.restore(holder, holderPoint, holderLeg, holderSplit);
        unmovable = true;
      } else {
        engine.place(holder, engine.bestPoint, engine.bestLeg);
        moved.push({ group: holder, point: holderPoint, leg: holderLeg, split: holderSplit });
      }
    }
    if (prefixSettled && (!current || unmovable)) cursor[resource] = index + 1;
    else prefixSettled = false;
    if (moved.length > 0 && engine.pointFree[point]! >= size && engine.fitsLeg(group, leg)) {
      engine.place(group, point, leg);
      return true;
    }
  }
  for (let index = moved.length - 1; index >= 0; index--) {
    const undo = moved[index]!;
    engine.remove(undo.group);
    engine.restore(undo.group, undo.point, undo.leg, undo.split);
  }
  return false;
}

/**
 * Admits waiting groups, in the order given, by moving people who hold the point room or seats they
 * need to other options with room. Nobody placed loses their place, and pinned groups (kept from a
 * previous plan) are never moved; groups that still cannot go are returned.
 */
export function admitByRelocation(engine: AssignmentEngine, waiting: readonly number[]): number[] {
  const left: number[] = [];
  const cursors: HolderCursors = {
    point: new Int32Array(engine.model.assemblyPointIds.length),
    leg: new Int32Array(engine.model.legIds.length),
  };
  for (const group of waiting) {
    if (engine.groupLeg[group]! >= 0) continue;
    if (engine.findBestOption(group)) {
      engine.place(group, engine.bestPoint, engine.bestLeg);
      continue;
    }
    let admitted = false;
    for (const option of blockedOptions(engine, group)) {
      if (admitByMoving(engine, cursors, group, option)) {
        admitted = true;
        break;
      }
    }
    if (!admitted) left.push(group);
  }
  return left;
}
