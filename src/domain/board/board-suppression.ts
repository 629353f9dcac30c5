// Board figures for a viewer who may see aggregates only (a host-state authority, an analyst). A figure
// of one to four people can point at someone ("the one person over 60 in this district needs help"), so
// such cells are hidden, as the registry's aggregates hide theirs. Hiding a cell is not enough when the
// others give it away by subtraction (a total minus the visible parts), so a second pass hides one more
// cell wherever exactly one cell of a sum is hidden, until no hidden figure can be worked out that way.
import { BOARD_DIMENSIONS, type BoardCounts, type BoardDimension, type BoardFigures } from './board-tally.ts';

export type MaybeCount = number | null;
export type PublishedCounts = { [K in keyof BoardCounts]: MaybeCount };
export type PublishedGroup = PublishedCounts & { key: string };
export type PublishedFigures = {
  totals: PublishedCounts;
  breakdowns: Record<BoardDimension, PublishedGroup[]>;
};

const COLUMNS = ['targeted', 'reached', 'safe', 'needHelp', 'noAnswer'] as const;
type Column = (typeof COLUMNS)[number];
type Row = Record<Column, MaybeCount>;

/** Breakdowns whose groups split the total (each person in exactly one group): their columns add up. */
const PARTITIONS: readonly BoardDimension[] = ['country', 'area', 'sex', 'ageBand'];

/**
 * In a sum whose cells are known but for exactly one, that one can be worked out: hide the smallest
 * other part as well. `sum` is the total cell, `parts` the cells that add up to it. Answers whether it
 * hid anything.
 */
function protectSum(sum: { row: Row; column: Column }, parts: { row: Row; column: Column }[]): boolean {
  const cells = [sum, ...parts];
  const hidden = cells.filter((c) => c.row[c.column] === null).length;
  if (hidden !== 1) return false;
  let smallest: { row: Row; column: Column } | undefined;
  for (const part of parts) {
    const value = part.row[part.column];
    if (value === null) continue;
    if (!smallest || value < (smallest.row[smallest.column] as number)) smallest = part;
  }
  // Every part is known and the sum alone is hidden: hiding the smallest part keeps the sum unknown.
  if (!smallest) return false;
  smallest.row[smallest.column] = null;
  return true;
}

/** Hides `reached` when the people not reached are few enough to be identified by subtraction. */
function protectUnreached(row: Row, exact: BoardCounts, threshold: number): boolean {
  const unreached = exact.targeted - exact.reached;
  if (row.reached === null || row.targeted === null || unreached <= 0 || unreached >= threshold) return false;
  row.reached = null;
  return true;
}

/**
 * The figures as an aggregates-only viewer may see them: every count from 1 to `threshold - 1` is null,
 * and so is any count that could be worked out from the visible ones (a row's answers add up to its
 * targeted people; a partition's groups add up to the total). Zero stays visible: it points at nobody.
 */
export function suppressSmallCells(figures: BoardFigures, threshold: number): PublishedFigures {
  const hide = (counts: BoardCounts): Row => {
    const row = {} as Row;
    for (const column of COLUMNS) {
      const value = counts[column];
      row[column] = value > 0 && value < threshold ? null : value;
    }
    return row;
  };
  const totals = hide(figures.totals);
  const groups = Object.fromEntries(
    BOARD_DIMENSIONS.map((d) => [d, figures.breakdowns[d].map((g) => ({ exact: g, row: hide(g) }))]),
  ) as unknown as Record<BoardDimension, { exact: BoardCounts; row: Row }[]>;
  const rows = [{ exact: figures.totals, row: totals }, ...BOARD_DIMENSIONS.flatMap((d) => groups[d])];
  // Hiding only ever adds nulls, so this ends; each round hides at least one more cell or stops.
  for (let changed = true; changed; ) {
    changed = false;
    for (const { exact, row } of rows) {
      if (protectUnreached(row, exact, threshold)) changed = true;
      const answers = (['safe', 'needHelp', 'noAnswer'] as const).map((column) => ({ row, column }));
      if (protectSum({ row, column: 'targeted' }, answers)) changed = true;
    }
    for (const dimension of PARTITIONS) {
      for (const column of COLUMNS) {
        const parts = groups[dimension].map(({ row }) => ({ row, column }));
        if (protectSum({ row: totals, column }, parts)) changed = true;
      }
    }
  }
  const publish = (d: BoardDimension): PublishedGroup[] =>
    figures.breakdowns[d].map((g, i) => ({ key: g.key, ...(groups[d][i]?.row as Row) }));
  return {
    totals,
    breakdowns: {
      country: publish('country'),
      area: publish('area'),
      sex: publish('sex'),
      ageBand: publish('ageBand'),
      vulnerability: publish('vulnerability'),
    },
  };
}

/** The figures as they are, for a viewer who may see the people behind them. */
export function publishExact(figures: BoardFigures): PublishedFigures {
  return {
    totals: { ...figures.totals },
    breakdowns: Object.fromEntries(
      BOARD_DIMENSIONS.map((d) => [d, figures.breakdowns[d].map((g) => ({ ...g }))]),
    ) as Record<BoardDimension, PublishedGroup[]>,
  };
}
