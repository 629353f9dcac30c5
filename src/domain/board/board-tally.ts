// The accountability board's figures, counted one person at a time: targeted, reached, safe, need help
// and no answer, in total and broken down by country, area (the H3 cell a few kilometres wide around the
// person), sex, age band and vulnerability. A tally holds counts only, never a person, so a board of a
// million recipients is counted in batches in constant memory.
import { cellToParent, isValidCell } from 'h3-js';
import { ageBand } from '../registry/person.ts';
import { type BoardStatus, boardStatus, type StatusFacts } from './board-status.ts';

/** The breakdowns of the board, in the order the console shows them. */
export const BOARD_DIMENSIONS = ['country', 'area', 'sex', 'ageBand', 'vulnerability'] as const;
export type BoardDimension = (typeof BOARD_DIMENSIONS)[number];

/**
 * The H3 resolution of the area breakdown: cells of about 250 km², wide enough to be a district and to
 * hold enough people for figures that point at nobody, fine enough to send a team to.
 */
export const AREA_RESOLUTION = 5;

/** The age bands of alert targeting and of the registry's aggregates, in order. */
export const BOARD_AGE_BANDS = ['0-17', '18-29', '30-44', '45-59', '60+', 'unknown'] as const;

/** The key of a group for which a fact is missing (no country, no location, no birth year). */
export const UNKNOWN = 'unknown';
/** The vulnerability group of people who have none recorded. */
export const NO_VULNERABILITY = 'none';

export type BoardCounts = {
  targeted: number;
  /** At least one delivery was sent or delivered. */
  reached: number;
  safe: number;
  needHelp: number;
  noAnswer: number;
};

/** What the board needs to know about one recipient. */
export type BoardPerson = StatusFacts & {
  /** The country the alert found the person in. */
  country: string | null;
  sex: string;
  birthYear: number | null;
  /** H3 cell of the person's location (any resolution finer than AREA_RESOLUTION). */
  h3Cell: string | null;
  vulnerabilities: readonly string[];
  reached: boolean;
};

export type BoardGroup = BoardCounts & { key: string };

export type BoardFigures = {
  totals: BoardCounts;
  breakdowns: Record<BoardDimension, BoardGroup[]>;
};

export const zeroCounts = (): BoardCounts => ({ targeted: 0, reached: 0, safe: 0, needHelp: 0, noAnswer: 0 });

function count(into: BoardCounts, status: BoardStatus, reached: boolean): void {
  into.targeted += 1;
  if (reached) into.reached += 1;
  if (status === 'safe') into.safe += 1;
  else if (status === 'need_help') into.needHelp += 1;
  else into.noAnswer += 1;
}

/** The area key of a cell: its parent at AREA_RESOLUTION, or `unknown`. */
export function areaOfCell(cell: string | null): string {
  if (cell === null || !isValidCell(cell)) return UNKNOWN;
  try {
    return cellToParent(cell, AREA_RESOLUTION);
  } catch {
    // A cell coarser than the area resolution has no parent there: too coarse to place the person.
    return UNKNOWN;
  }
}

/** Counts recipients one at a time; `figures()` answers the board at any point. */
export class BoardTally {
  readonly #now: Date;
  readonly #totals = zeroCounts();
  readonly #groups: Record<BoardDimension, Map<string, BoardCounts>> = {
    country: new Map(),
    area: new Map(),
    sex: new Map(),
    ageBand: new Map(),
    vulnerability: new Map(),
  };
  readonly #areas = new Map<string, string>();

  /** `now` fixes the age bands (ages count from the birth year, as targeting does). */
  constructor(now: Date) {
    this.#now = now;
  }

  add(person: BoardPerson): void {
    const status = boardStatus(person);
    count(this.#totals, status, person.reached);
    const into = (dimension: BoardDimension, key: string) => {
      const groups = this.#groups[dimension];
      let counts = groups.get(key);
      if (!counts) {
        counts = zeroCounts();
        groups.set(key, counts);
      }
      count(counts, status, person.reached);
    };
    into('country', person.country ?? UNKNOWN);
    into('area', this.#area(person.h3Cell));
    into('sex', person.sex || UNKNOWN);
    into('ageBand', ageBand(person.birthYear, this.#now));
    const vulnerabilities = new Set(person.vulnerabilities);
    if (vulnerabilities.size === 0) into('vulnerability', NO_VULNERABILITY);
    for (const v of vulnerabilities) into('vulnerability', v);
  }

  figures(): BoardFigures {
    const sorted = (dimension: BoardDimension): BoardGroup[] => {
      const groups = [...this.#groups[dimension]].map(([key, counts]) => ({ key, ...counts }));
      if (dimension === 'ageBand') {
        const rank = (key: string) => {
          const i = (BOARD_AGE_BANDS as readonly string[]).indexOf(key);
          return i < 0 ? BOARD_AGE_BANDS.length : i;
        };
        return groups.sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
      }
      // Largest first; the group of the unknown last, whatever its size.
      return groups.sort(
        (a, b) =>
          Number(a.key === UNKNOWN) - Number(b.key === UNKNOWN) ||
          b.targeted - a.targeted ||
          a.key.localeCompare(b.key),
      );
    };
    return {
      totals: { ...this.#totals },
      breakdowns: {
        country: sorted('country'),
        area: sorted('area'),
        sex: sorted('sex'),
        ageBand: sorted('ageBand'),
        vulnerability: sorted('vulnerability'),
      },
    };
  }

  #area(cell: string | null): string {
    if (cell === null) return UNKNOWN;
    let area = this.#areas.get(cell);
    if (area === undefined) {
      area = areaOfCell(cell);
      this.#areas.set(cell, area);
    }
    return area;
  }
}

/** The board of a list of people, in one call (for tests and small boards). */
export function tallyBoard(people: Iterable<BoardPerson>, now: Date): BoardFigures {
  const tally = new BoardTally(now);
  for (const person of people) tally.add(person);
  return tally.figures();
}
