import type { OperationCounts } from './evacuation.repository.ts';
import type {
  AssemblyPointView,
  HubView,
  LegView,
  OperationView,
  PlanningOptionsBody,
} from './evacuation.schema.ts';
import type {
  EvacuationAssemblyPointRow,
  EvacuationHubRow,
  EvacuationLegRow,
  EvacuationOperationRow,
} from './evacuation.table.ts';

// Rows are mapped to API objects here and only here. The operation's boarding key never leaves the
// server: it is simply not among the fields mapped.

export const toOperationView = (row: EvacuationOperationRow, counts: OperationCounts): OperationView => ({
  id: row.id,
  crisis: row.crisis,
  country: row.country,
  areaId: row.area_id,
  alertLevel: row.alert_level,
  status: row.status,
  planning: JSON.parse(row.planning_options) as PlanningOptionsBody,
  currentPlanId: row.current_plan_id,
  counts,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toAssemblyPointView = (row: EvacuationAssemblyPointRow): AssemblyPointView => ({
  id: row.id,
  operationId: row.operation_id,
  name: row.name,
  lat: row.lat,
  lon: row.lon,
  capacity: row.capacity,
  opensAt: row.opens_at,
  closesAt: row.closes_at,
  accessible: row.accessible === 1,
  createdAt: row.created_at,
});

export const toHubView = (row: EvacuationHubRow): HubView => ({
  id: row.id,
  operationId: row.operation_id,
  name: row.name,
  transferMinutes: row.transfer_minutes,
  assemblyPointIds: JSON.parse(row.assembly_point_ids) as string[],
  createdAt: row.created_at,
});

export const toLegView = (row: EvacuationLegRow): LegView => ({
  id: row.id,
  operationId: row.operation_id,
  mode: row.mode,
  originAssemblyPointId: row.origin_assembly_point_id,
  originHubId: row.origin_hub_id,
  destination: row.destination,
  departsAt: row.departs_at,
  seats: row.seats,
  medicalSeats: row.medical_seats,
  status: row.status,
  cancelledAt: row.cancelled_at,
  boardingClosedAt: row.boarding_closed_at,
  arrivedAt: row.arrived_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});
