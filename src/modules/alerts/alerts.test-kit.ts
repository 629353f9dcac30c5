/**
 * Shared by the alert and CAP tests (not used by the application): synthetic people, extra accounts,
 * alert bodies and the CAP 1.2 schema check with xmllint.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestApp } from '../../../test/helpers/app.ts';
import type { Role } from '../../domain/access/policy.ts';
import { createApiToken, createUser } from '../access/auth.service.ts';

/** The OASIS schema, in the shared fixtures beside the repository. */
export const CAP_XSD = fileURLToPath(new URL('../../../../shared/fixtures/cap/cap12.xsd', import.meta.url));
export const CAP_FIXTURES = fileURLToPath(new URL('../../../../shared/fixtures/cap/', import.meta.url));

const xmllintMissing = spawnSync('xmllint', ['--version']).error !== undefined;
// CI sets HAVEN_REQUIRE_XMLLINT=1: there a missing validator fails the run instead of skipping.
if (xmllintMissing && process.env.HAVEN_REQUIRE_XMLLINT === '1') {
  throw new Error(
    'xmllint is required (HAVEN_REQUIRE_XMLLINT=1) but not installed: apt-get install libxml2-utils',
  );
}
/** Test option: skipped, with the reason, where xmllint is not installed. */
export const needsXmllint = {
  skip: xmllintMissing ? 'xmllint not installed (apt-get install libxml2-utils)' : false,
};

/** Validates a CAP document against the OASIS CAP 1.2 schema, never touching the network. */
export function assertValidCap(xml: string): void {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '--schema', CAP_XSD, '-'], {
    input: xml,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `xmllint rejected the document:\n${run.stderr}\n${xml}`);
}

/** Checks that a document is well-formed XML. */
export function assertWellFormed(xml: string): void {
  const run = spawnSync('xmllint', ['--noout', '--nonet', '-'], { input: xml, encoding: 'utf8' });
  assert.equal(run.status, 0, `not well-formed:\n${run.stderr}\n${xml}`);
}

/** A second account with the role, for four-eyes checks; returns its id and headers. */
export async function extraUser(t: TestApp, role: Role, name: string, postId: string | null = null) {
  const email = `${name}@test.example.org`;
  const { user } = await createUser(t.database.db, {
    email,
    role,
    organizationId: t.fixtures.originOrgId,
    postId,
  });
  const { token } = await createApiToken(t.database.db, { email, expiresInDays: 1 });
  return { id: user.id, headers: { authorization: `Bearer ${token}` } };
}

export type SyntheticPerson = {
  lat: number;
  lon: number;
  country: string;
  languages: string[];
  sex?: string;
  birthDate?: string;
};

/** Registers synthetic people through the API (as hq_admin) and returns their ids. */
export async function registerPeople(t: TestApp, people: readonly SyntheticPerson[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, p] of people.entries()) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/persons',
      payload: {
        givenNames: `Test Person ${i}`,
        sex: p.sex ?? 'female',
        ...(p.birthDate ? { birthDate: p.birthDate } : {}),
        languages: p.languages,
        location: { lat: p.lat, lon: p.lon, country: p.country },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    ids.push(res.json().id);
  }
  return ids;
}

/** A square ring around a point, `half` degrees each way, closed. */
export function squareAround(lon: number, lat: number, half: number): number[][] {
  return [
    [lon - half, lat - half],
    [lon + half, lat - half],
    [lon + half, lat + half],
    [lon - half, lat + half],
    [lon - half, lat - half],
  ];
}

/** A complete alert body in three languages (Arabic, Amharic, English), aimed at the given target. */
export function alertBody(target: object, over: Record<string, unknown> = {}) {
  return {
    category: ['Security'],
    event: 'Armed clashes',
    urgency: 'Immediate',
    severity: 'Severe',
    certainty: 'Likely',
    responseType: ['Shelter'],
    infos: [
      {
        language: 'ar',
        headline: 'اشتباكات مسلحة في المدينة',
        description: 'ابقوا في منازلكم بعيدا عن النوافذ.',
        instruction: 'اتصلوا بالسفارة إذا احتجتم إلى مساعدة.',
        smsText: 'تنبيه من السفارة: اشتباكات مسلحة. ابقوا في منازلكم. ردوا بكلمة آمن أو مساعدة.',
      },
      {
        language: 'am',
        headline: 'በከተማው የትጥቅ ግጭት',
        description: 'ከመስኮቶች ርቀው በቤትዎ ይቆዩ።',
        smsText: 'የኤምባሲ ማስጠንቀቂያ፡ የትጥቅ ግጭት። በቤትዎ ይቆዩ።',
      },
      {
        language: 'en',
        headline: 'Armed clashes in the city',
        description: 'Stay indoors, away from windows.',
        instruction: 'Call the embassy if you need help.',
        smsText: 'Embassy alert: armed clashes. Stay indoors. Reply SAFE or HELP.',
      },
    ],
    target,
    askResponse: true,
    ...over,
  };
}
