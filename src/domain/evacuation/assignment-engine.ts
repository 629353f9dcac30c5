// The mutable state of one planning run: free seats, free room at assembly points, and where each
// group goes. Groups are placed whole; boarded people are pinned before anything else happens.
import { AssemblyPointGrid } from './assembly-point-grid.ts';
import { EvacuationInputError } from './evacuation-error.ts';
import { type CompiledOperation, gatheringTime } from './evacuation-model.ts';
import type { UnassignedReason } from './evacuation-types.ts';
import { distanceKm } from './great-circle.ts';

const HOUR_MS = 3_600_000;

/** Where every group is placed, and how its medical places were split. */
export type PlacementSnapshot = { leg: Int32Array; point: Int32Array; mayInMedical: Int32Array };

export class AssignmentEngine {
  readonly model: CompiledOperation;
  readonly regularFree: Int32Array;
  readonly medicalFree: Int32Array;
  readonly pointFree: Int32Array;
  /** Leg of each group, or -1 while unplaced. */
  readonly groupLeg: Int32Array;
  readonly groupPoint: Int32Array;
  /** The choice of the last successful {@link findBestOption}. */
  bestPoint = -1;
  bestLeg = -1;
  /**
   * How much of the scarcity prices each tier feels: the lowest tier all of it, a tier of twice its
   * weight half, so that the most urgent keep the earliest departures and the rest make way.
   */
  private readonly tierPriceScale: Float64Array;
  /** Hours from the plan time to each option's departure. */
  private readonly optionHours: Float64Array;
  /** Hours added to the score of options at a point or on a leg that earlier rounds found scarce. */
  readonly pointPrice: Float64Array;
  readonly legPrice: Float64Array;
  /** Groups whose place is promised (kept from a previous plan): the repair pass never moves them. */
  readonly pinned: Uint8Array;
  /** How many of a placed group's "may use" travellers sit in medical places. */
  readonly groupMayInMedical: Int32Array;
  /**
   * Groups placed at each point and on each leg, appended on placement and never pruned: an entry
   * is current only while the group still holds that point or leg.
   */
  readonly pointGroups: number[][];
  readonly legGroups: number[][];
  /** Assembly points within reach of each group (CSR), ascending, with the travellers' mean distance. */
  readonly candidateStart: Int32Array;
  readonly candidatePoint: Int32Array;
  readonly candidateKm: Float64Array;
  /** Legs a group must not be given again: the leg its people failed to turn up for. */
  private readonly excludedLegs: ReadonlyMap<number, ReadonlySet<number>>;
  /** Per point, the first option whose leg may still have a free place: options before it are full. */
  private readonly cursor: Int32Array;
  /** Option slots of each leg across points (CSR), and the point of each slot, to rewind cursors. */
  private readonly legSlotStart: Int32Array;
  private readonly legSlots: Int32Array;
  private readonly slotPoint: Int32Array;
  private readonly grid: AssemblyPointGrid;
  private readonly initialRegularFree: Int32Array;
  private readonly initialMedicalFree: Int32Array;
  private readonly initialPointFree: Int32Array;

  constructor(model: CompiledOperation, excludedLegs: ReadonlyMap<number, ReadonlySet<number>> = new Map()) {
    this.model = model;
    this.excludedLegs = excludedLegs;
    const legCount = model.legIds.length;
    this.regularFree = new Int32Array(legCount);
    this.medicalFree = new Int32Array(legCount);
    for (let leg = 0; leg < legCount; leg++) {
      this.medicalFree[leg] = model.legMedicalSeats[leg]!;
      this.regularFree[leg] = model.legSeats[leg]! - model.legMedicalSeats[leg]!;
    }
    this.pointFree = Int32Array.from(model.pointCapacity);
    for (const boarding of model.boardings) {
      const seats = boarding.seat === 'medical' ? this.medicalFree : this.regularFree;
      seats[boarding.leg]!--;
      this.pointFree[boarding.assemblyPoint]!--;
      if (seats[boarding.leg]! < 0) {
        throw new EvacuationInputError(
          'evacuation.boarded_exceed_capacity',
          'More people are recorded aboard a leg than it has places of that kind',
          model.legIds[boarding.leg],
        );
      }
      if (this.pointFree[boarding.assemblyPoint]! < 0) {
        throw new EvacuationInputError(
          'evacuation.boarded_exceed_capacity',
          'More people are recorded through an assembly point than its capacity',
          model.assemblyPointIds[boarding.assemblyPoint],
        );
      }
    }
    const groupCount = model.groupIds.length;
    this.groupLeg = new Int32Array(groupCount).fill(-1);
    this.groupPoint = new Int32Array(groupCount).fill(-1);
    this.groupMayInMedical = new Int32Array(groupCount);
    this.pinned = new Uint8Array(groupCount);
    this.pointPrice = new Float64Array(model.assemblyPointIds.length);
    const tiers = model.settings.tiers;
    this.tierPriceScale = new Float64Array(tiers.length + 1);
    tiers.forEach((tier, index) => {
      this.tierPriceScale[index + 1] = tiers[tiers.length - 1]!.weight / tier.weight;
    });
    this.optionHours = model.optionDepartsAt.map((departsAt) => (departsAt - model.now) / HOUR_MS);
    this.legPrice = new Float64Array(legCount);
    this.initialRegularFree = this.regularFree.slice();
    this.initialMedicalFree = this.medicalFree.slice();
    this.initialPointFree = this.pointFree.slice();
    this.cursor = model.optionStart.slice(0, model.assemblyPointIds.length);
    const slotCount = model.optionLeg.length;
    this.slotPoint = new Int32Array(slotCount);
    this.legSlotStart = new Int32Array(legCount + 1);
    for (let point = 0; point < model.assemblyPointIds.length; point++) {
      for (let slot = model.optionStart[point]!; slot < model.optionStart[point + 1]!; slot++) {
        this.slotPoint[slot] = point;
        this.legSlotStart[model.optionLeg[slot]! + 1]!++;
      }
    }
    for (let leg = 0; leg < legCount; leg++) this.legSlotStart[leg + 1]! += this.legSlotStart[leg]!;
    this.legSlots = new Int32Array(slotCount);
    const fill = this.legSlotStart.slice(0, legCount);
    for (let slot = 0; slot < slotCount; slot++) this.legSlots[fill[model.optionLeg[slot]!]!++] = slot;
    this.pointGroups = model.assemblyPointIds.map(() => []);
    this.legGroups = model.legIds.map(() => []);
    this.grid = new AssemblyPointGrid(model.pointLat, model.pointLon, model.settings.maxDistanceKm);
    const candidates = this.findCandidates();
    this.candidateStart = candidates.start;
    this.candidatePoint = candidates.point;
    this.candidateKm = candidates.km;
  }

  /** Empties every leg and point back to the boarded people alone, keeping prices, pins and candidates. */
  reset(): void {
    this.regularFree.set(this.initialRegularFree);
    this.medicalFree.set(this.initialMedicalFree);
    this.pointFree.set(this.initialPointFree);
    this.groupLeg.fill(-1);
    this.groupPoint.fill(-1);
    this.groupMayInMedical.fill(0);
    this.cursor.set(this.model.optionStart.subarray(0, this.model.assemblyPointIds.length));
    for (const list of this.pointGroups) list.length = 0;
    for (const list of this.legGroups) list.length = 0;
  }

  /** Where every group is, to come back to with {@link restoreSnapshot}. */
  snapshot(): PlacementSnapshot {
    return {
      leg: this.groupLeg.slice(),
      point: this.groupPoint.slice(),
      mayInMedical: this.groupMayInMedical.slice(),
    };
  }

  /** Resets and re-seats every group exactly as in the snapshot. */
  restoreSnapshot(snapshot: PlacementSnapshot): void {
    this.reset();
    for (let group = 0; group < snapshot.leg.length; group++) {
      const leg = snapshot.leg[group]!;
      if (leg < 0) continue;
      const point = snapshot.point[group]!;
      this.seat(group, point, leg, snapshot.mayInMedical[group]!);
      this.pointGroups[point]!.push(group);
      this.legGroups[leg]!.push(group);
    }
  }

  /** The objective so far: each placed traveller counts the weight of their group's tier. */
  weightedPlaced(): number {
    const { tiers } = this.model.settings;
    let total = 0;
    for (let group = 0; group < this.groupLeg.length; group++) {
      if (this.groupLeg[group]! >= 0)
        total += tiers[this.model.groupTier[group]! - 1]!.weight * this.travellerCount(group);
    }
    return total;
  }

  travellerCount(group: number): number {
    return this.model.travellerStart[group + 1]! - this.model.travellerStart[group]!;
  }

  /** Mean distance from the group's travellers to `point`, or -1 if someone is out of reach. */
  meanDistanceToPoint(group: number, point: number): number {
    const { model } = this;
    const maxKm = model.settings.maxDistanceKm;
    const pointLat = model.pointLat[point]!;
    const pointLon = model.pointLon[point]!;
    let total = 0;
    let lastLat = Number.NaN;
    let lastLon = Number.NaN;
    let last = 0;
    const from = model.travellerStart[group]!;
    const to = model.travellerStart[group + 1]!;
    for (let slot = from; slot < to; slot++) {
      const member = model.travellers[slot]!;
      const lat = model.evacueeLat[member]!;
      const lon = model.evacueeLon[member]!;
      // Household members usually share one location: measure it once.
      if (lat !== lastLat || lon !== lastLon) {
        last = distanceKm(lat, lon, pointLat, pointLon);
        lastLat = lat;
        lastLon = lon;
      }
      if (last > maxKm) return -1;
      total += last;
    }
    return to > from ? total / (to - from) : 0;
  }

  private findCandidates(): { start: Int32Array; point: Int32Array; km: Float64Array } {
    const { model } = this;
    const groupCount = model.groupIds.length;
    const start = new Int32Array(groupCount + 1);
    let pointList = new Int32Array(Math.max(16, groupCount * 4));
    let kmList = new Float64Array(pointList.length);
    let count = 0;
    const found: number[] = [];
    const foundKm = new Map<number, number>();
    for (let group = 0; group < groupCount; group++) {
      start[group] = count;
      if (this.travellerCount(group) === 0) continue;
      const anchor = model.travellers[model.travellerStart[group]!]!;
      const needsAccessible = model.groupNeedsAccessible[group] === 1;
      found.length = 0;
      foundKm.clear();
      this.grid.forEachNear(
        model.evacueeLat[anchor]!,
        model.evacueeLon[anchor]!,
        model.settings.maxDistanceKm,
        (point) => {
          if (needsAccessible && model.pointAccessible[point] === 0) return;
          const km = this.meanDistanceToPoint(group, point);
          if (km < 0) return;
          found.push(point);
          foundKm.set(point, km);
        },
      );
      found.sort((a, b) => a - b);
      if (count + found.length > pointList.length) {
        const grown = new Int32Array(Math.max(pointList.length * 2, count + found.length));
        grown.set(pointList);
        pointList = grown;
        const grownKm = new Float64Array(grown.length);
        grownKm.set(kmList);
        kmList = grownKm;
      }
      for (const point of found) {
        pointList[count] = point;
        kmList[count] = foundKm.get(point)!;
        count++;
      }
    }
    start[groupCount] = count;
    return { start, point: pointList.slice(0, count), km: kmList.slice(0, count) };
  }

  /** First option index at `point` departing at or after `time`. */
  private firstOptionFrom(point: number, time: number): number {
    const { optionDepartsAt } = this.model;
    let low = this.model.optionStart[point]!;
    let high = this.model.optionStart[point + 1]!;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (optionDepartsAt[middle]! < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** How many legs a group could use if seats were no object: a measure of how constrained it is. */
  optionCount(group: number): number {
    const readyAt = this.model.groupDocumentsReadyAt[group]!;
    let total = 0;
    for (let slot = this.candidateStart[group]!; slot < this.candidateStart[group + 1]!; slot++) {
      const point = this.candidatePoint[slot]!;
      total += this.model.optionStart[point + 1]! - this.firstOptionFrom(point, readyAt);
    }
    return total;
  }

  get hasExclusions(): boolean {
    return this.excludedLegs.size > 0;
  }

  isExcluded(group: number, leg: number): boolean {
    return this.excludedLegs.get(group)?.has(leg) === true;
  }

  /** Whether the group's travellers fit in the leg's free places of the kinds they may use. */
  fitsLeg(group: number, leg: number): boolean {
    const { model } = this;
    const none = model.groupMedicalNone[group]!;
    const must = model.groupMedicalMust[group]!;
    const regular = this.regularFree[leg]!;
    const medical = this.medicalFree[leg]!;
    return (
      must <= medical && none <= regular && none + model.groupMedicalMay[group]! + must <= regular + medical
    );
  }

  /**
   * Finds the best option for the group with the places free now: the lowest of hours to departure
   * plus the distance to the point expressed in hours, plus any scarcity prices (scaled by tier). On success it returns
   * true and leaves the choice in {@link bestPoint} and {@link bestLeg} (no allocation on this hot path).
   */
  findBestOption(group: number, avoidPoint = -1, avoidLeg = -1): boolean {
    const { model, regularFree, medicalFree, pointFree, legPrice, optionHours } = this;
    const { optionStart, optionLeg, optionDepartsAt } = model;
    const size = this.travellerCount(group);
    this.bestPoint = -1;
    this.bestLeg = -1;
    if (size === 0) return false;
    const readyAt = model.groupDocumentsReadyAt[group]!;
    const none = model.groupMedicalNone[group]!;
    const must = model.groupMedicalMust[group]!;
    const checkExcluded = this.hasExclusions;
    const kmWorthOneHour = model.settings.kmWorthOneHour;
    const priceScale = this.tierPriceScale[model.groupTier[group]!]!;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let slot = this.candidateStart[group]!; slot < this.candidateStart[group + 1]!; slot++) {
      const point = this.candidatePoint[slot]!;
      if (point === avoidPoint || pointFree[point]! < size) continue;
      const pointHours = this.candidateKm[slot]! / kmWorthOneHour + this.pointPrice[point]! * priceScale;
      if (pointHours >= bestScore) continue;
      const end = optionStart[point + 1]!;
      let cursor = this.cursor[point]!;
      while (cursor < end && regularFree[optionLeg[cursor]!]! + medicalFree[optionLeg[cursor]!]! === 0)
        cursor++;
      this.cursor[point] = cursor;
      let option = cursor;
      if (readyAt > Number.NEGATIVE_INFINITY && option < end && optionDepartsAt[option]! < readyAt) {
        option = this.firstOptionFrom(point, readyAt);
      }
      for (; option < end; option++) {
        const withoutLegPrice = optionHours[option]! + pointHours;
        if (withoutLegPrice >= bestScore) break;
        const leg = optionLeg[option]!;
        const score = withoutLegPrice + legPrice[leg]! * priceScale;
        if (score >= bestScore || leg === avoidLeg) continue;
        const regular = regularFree[leg]!;
        const medical = medicalFree[leg]!;
        if (must > medical || none > regular || size > regular + medical) continue;
        if (checkExcluded && this.isExcluded(group, leg)) continue;
        bestScore = score;
        this.bestPoint = point;
        this.bestLeg = leg;
      }
    }
    return this.bestLeg >= 0;
  }

  /** Seats the group's travellers on the leg; "may use" travellers take regular places first. */
  place(group: number, point: number, leg: number): void {
    this.seat(group, point, leg, undefined);
    this.pointGroups[point]!.push(group);
    this.legGroups[leg]!.push(group);
  }

  /**
   * Puts a group back exactly where it was just removed from, with the same split of medical places,
   * so that a move is undone to the last seat. Its entries in the holder lists are still there.
   */
  restore(group: number, point: number, leg: number, mayInMedical: number): void {
    this.seat(group, point, leg, mayInMedical);
  }

  private seat(group: number, point: number, leg: number, mayInMedical: number | undefined): void {
    const { model } = this;
    const none = model.groupMedicalNone[group]!;
    const may = model.groupMedicalMay[group]!;
    const must = model.groupMedicalMust[group]!;
    const medicalShare = mayInMedical ?? may - Math.min(may, this.regularFree[leg]! - none);
    const mayInRegular = may - medicalShare;
    this.regularFree[leg]! -= none + mayInRegular;
    this.medicalFree[leg]! -= must + medicalShare;
    this.pointFree[point]! -= this.travellerCount(group);
    this.groupLeg[group] = leg;
    this.groupPoint[group] = point;
    this.groupMayInMedical[group] = medicalShare;
  }

  /** Undoes {@link place}, freeing the group's places. */
  remove(group: number): void {
    const { model } = this;
    const leg = this.groupLeg[group]!;
    if (leg < 0) return;
    const may = model.groupMedicalMay[group]!;
    const mayInMedical = this.groupMayInMedical[group]!;
    this.regularFree[leg]! += model.groupMedicalNone[group]! + may - mayInMedical;
    this.medicalFree[leg]! += model.groupMedicalMust[group]! + mayInMedical;
    this.pointFree[this.groupPoint[group]!]! += this.travellerCount(group);
    this.groupLeg[group] = -1;
    this.groupPoint[group] = -1;
    this.groupMayInMedical[group] = 0;
    // Freed places may sit before a cursor: rewind it to this leg at every point the leg serves.
    for (let entry = this.legSlotStart[leg]!; entry < this.legSlotStart[leg + 1]!; entry++) {
      const slot = this.legSlots[entry]!;
      const point = this.slotPoint[slot]!;
      if (slot < this.cursor[point]!) this.cursor[point] = slot;
    }
  }

  /**
   * Whether a group may stay on the leg and point it already holds, in the same kinds of seats: every
   * hard rule, with the gathering-time rule relaxed to "not yet departed" because its people may
   * already be on their way.
   */
  canKeep(group: number, point: number, leg: number, mayInMedical: number): boolean {
    const { model } = this;
    if (model.legCancelled[leg] === 1 || model.legDepartsAt[leg]! < model.now) return false;
    const gatherAt = gatheringTime(model, leg, point);
    if (Number.isNaN(gatherAt)) return false;
    if (gatherAt < model.pointOpensAt[point]! || gatherAt > model.pointClosesAt[point]!) return false;
    if (model.legDepartsAt[leg]! < model.groupDocumentsReadyAt[group]!) return false;
    if (model.groupNeedsAccessible[group] === 1 && model.pointAccessible[point] === 0) return false;
    if (this.isExcluded(group, leg)) return false;
    const may = model.groupMedicalMay[group]!;
    if (mayInMedical < 0 || mayInMedical > may) return false;
    if (this.regularFree[leg]! < model.groupMedicalNone[group]! + may - mayInMedical) return false;
    if (this.medicalFree[leg]! < model.groupMedicalMust[group]! + mayInMedical) return false;
    if (this.pointFree[point]! < this.travellerCount(group)) return false;
    return this.meanDistanceToPoint(group, point) >= 0;
  }

  /**
   * Places a group where a previous plan had it, in the same kinds of seats (so that keeping one group
   * never squeezes out another that was kept), and pins it there.
   */
  keep(group: number, point: number, leg: number, mayInMedical: number): void {
    this.seat(group, point, leg, mayInMedical);
    this.pointGroups[point]!.push(group);
    this.legGroups[leg]!.push(group);
    this.pinned[group] = 1;
  }

  /** Sorts groups into planning order: tier, then the most constrained first, then larger first. */
  sortByPriority(groups: number[]): number[] {
    const optionCounts = new Map<number, number>();
    for (const group of groups) optionCounts.set(group, this.optionCount(group));
    const { groupTier } = this.model;
    return groups.sort(
      (a, b) =>
        groupTier[a]! - groupTier[b]! ||
        optionCounts.get(a)! - optionCounts.get(b)! ||
        this.travellerCount(b) - this.travellerCount(a) ||
        a - b,
    );
  }

  /** Places each group, in the order given, on its best option; returns the groups left out. */
  placeInOrder(groups: readonly number[]): number[] {
    const left: number[] = [];
    for (const group of groups) {
      if (this.groupLeg[group]! >= 0 || this.travellerCount(group) === 0) continue;
      if (this.findBestOption(group)) this.place(group, this.bestPoint, this.bestLeg);
      else left.push(group);
    }
    return left;
  }

  /** Why an unplaced group is unplaced, tested from the most to the least fundamental cause. */
  reasonFor(group: number): UnassignedReason {
    const { model } = this;
    const size = this.travellerCount(group);
    const from = this.candidateStart[group]!;
    const to = this.candidateStart[group + 1]!;
    if (from === to) {
      if (model.groupNeedsAccessible[group] === 1 && this.anyPointWithinReach(group)) {
        return 'no_accessible_assembly_point_within_distance';
      }
      return 'no_assembly_point_within_distance';
    }
    let roomyPoint = false;
    let anyLeg = false;
    let documentedLeg = false;
    let bigEnoughLeg = false;
    const must = model.groupMedicalMust[group]!;
    const none = model.groupMedicalNone[group]!;
    const readyAt = model.groupDocumentsReadyAt[group]!;
    for (let slot = from; slot < to; slot++) {
      const point = this.candidatePoint[slot]!;
      if (model.pointCapacity[point]! < size) continue;
      roomyPoint = true;
      for (let option = model.optionStart[point]!; option < model.optionStart[point + 1]!; option++) {
        const leg = model.optionLeg[option]!;
        if (this.isExcluded(group, leg)) continue;
        anyLeg = true;
        if (model.optionDepartsAt[option]! < readyAt) continue;
        documentedLeg = true;
        const seats = model.legSeats[leg]!;
        const medical = model.legMedicalSeats[leg]!;
        if (seats < size || seats - medical < none) continue;
        bigEnoughLeg = true;
        if (medical >= must) return 'capacity_exhausted';
      }
    }
    if (!roomyPoint) return 'group_larger_than_assembly_point';
    if (!anyLeg) return 'no_leg_within_distance';
    if (!documentedLeg) return 'documents_not_ready';
    return bigEnoughLeg ? 'no_medical_seat' : 'group_larger_than_any_leg';
  }

  private anyPointWithinReach(group: number): boolean {
    const { model } = this;
    const anchor = model.travellers[model.travellerStart[group]!]!;
    let found = false;
    this.grid.forEachNear(
      model.evacueeLat[anchor]!,
      model.evacueeLon[anchor]!,
      model.settings.maxDistanceKm,
      (point) => {
        if (!found && this.meanDistanceToPoint(group, point) >= 0) found = true;
      },
    );
    return found;
  }
}
