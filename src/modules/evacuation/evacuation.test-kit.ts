// Helpers for the evacuation API tests: requests with a role, and the independent plan check run on
// every plan the API stores. Used by tests only.
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { checkPlan } from '../../../test/evacuation/plan-checker.ts';
import type { TestApp } from '../../../test/helpers/app.ts';
import type { DB } from '../../db/schema.ts';
import type { EvacuationPlan } from '../../domain/evacuation/evacuation-types.ts';
import { storedPlanWithInput } from './planning.service.ts';

export const HOUR = 3_600_000;

export type Caller = (
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  payload?: object,
) => Promise<LightMyRequestResponse>;

/** Requests signed in as `role` (hq_admin when none is named). */
export function callerFor(t: TestApp, role?: Parameters<TestApp['as']>[0]): Caller {
  return (method, url, payload) => {
    const options: InjectOptions = {
      method,
      url,
      ...(role ? { headers: t.as(role) } : {}),
      ...(payload !== undefined ? { payload } : {}),
    };
    return t.app.inject(options);
  };
}

/** Asserts the status (and the problem code) and answers the parsed JSON body. */
export async function expectStatus(response: Promise<LightMyRequestResponse>, status: number, code?: string) {
  const res = await response;
  assert.equal(res.statusCode, status, res.body);
  if (code) assert.equal(res.json().code, code, res.body);
  return res.json();
}

/** The plan in force as the planner's type, kept to check a later re-plan against. */
export async function storedPlan(db: Kysely<DB>, operationId: string): Promise<EvacuationPlan> {
  const material = await storedPlanWithInput(db, operationId);
  assert.ok(material, 'a plan is stored');
  return material.plan;
}

/**
 * Runs the independent checker over the plan in force, rebuilt from the database with the input it
 * was made from: no hard rule may be broken, and nobody may wait while a suitable place is free.
 */
export async function assertStoredPlanHolds(
  db: Kysely<DB>,
  operationId: string,
  change: { previousPlan?: EvacuationPlan; releasedEvacueeIds?: readonly string[] } = {},
): Promise<EvacuationPlan> {
  const material = await storedPlanWithInput(db, operationId);
  assert.ok(material, 'a plan is stored');
  const violations = checkPlan(material.input, material.plan, {
    maxDistanceKm: material.plan.settings.maxDistanceKm,
    checkNobodyLeftBehind: true,
    ...(change.previousPlan ? { previousPlan: change.previousPlan } : {}),
    ...(change.releasedEvacueeIds ? { releasedEvacueeIds: change.releasedEvacueeIds } : {}),
  });
  assert.deepEqual(violations, []);
  return material.plan;
}
