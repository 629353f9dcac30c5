import { LevelsError, type SchemeIssue } from './levels-error.ts';

/** Text in several languages, keyed by BCP 47 tag ("en", "fil", "ar"). */
export type LocalizedText = Readonly<Record<string, string>>;

/** What a level sets in motion beyond its advisory. */
export type LevelFlags = {
  readonly registrationDrive: boolean;
  readonly restrictedMovement: boolean;
  readonly voluntaryRepatriation: boolean;
  readonly mandatoryRepatriation: boolean;
  /** Recommended only: a ban on deploying new workers is decided separately. */
  readonly recommendedDeploymentBan: boolean;
};

/** A task created for the posts concerned when the level is declared. */
export type ChecklistItem = {
  /** Stable slug, unique within the level, so tasks can be traced back to it. */
  readonly id: string;
  readonly title: string;
  readonly description?: string;
};

export type LevelActions = {
  /** Advice to the people in the country, per language. */
  readonly advisory: LocalizedText;
  readonly flags: LevelFlags;
  readonly checklist: readonly ChecklistItem[];
};

export type Level = {
  /** 1 is the mildest; higher numbers are more severe. 0 is reserved for "no level". */
  readonly number: number;
  readonly name: LocalizedText;
  /** "#RRGGBB", used on maps and badges. */
  readonly colour: string;
  readonly description: LocalizedText;
  readonly actions: LevelActions;
};

/** The set of alert levels a deployment uses. */
export type Scheme = {
  readonly id: string;
  readonly name: string;
  readonly levels: readonly Level[];
};

const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;
const COLOUR = /^#[0-9a-fA-F]{6}$/;
// Primary subtags in use are ISO 639 codes of two or three letters; longer ones are reserved.
const LANGUAGE_TAG = /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*$/;

/**
 * Checks a scheme, typically after an administrator's edit, and returns every problem found (an empty
 * list when the scheme is sound). Levels must be numbered 1..n without gaps or repeats, so that a higher
 * number always means a more severe level.
 */
export function validateScheme(scheme: Scheme): SchemeIssue[] {
  const issues: SchemeIssue[] = [];
  const report = (code: SchemeIssue['code'], path: string, message: string) => {
    issues.push({ code, path, message });
  };

  if (!SLUG.test(scheme.id)) {
    report(
      'levels.bad_scheme_id',
      'id',
      `scheme id "${scheme.id}" must be lower-case letters, digits and dashes`,
    );
  }
  if (scheme.name.trim() === '') report('levels.missing_scheme_name', 'name', 'the scheme needs a name');
  if (scheme.levels.length === 0) report('levels.empty', 'levels', 'the scheme has no levels');

  const seen = new Map<number, number>();
  scheme.levels.forEach((level, i) => {
    const path = `levels[${i}]`;
    if (!Number.isInteger(level.number) || level.number < 1) {
      report(
        'levels.bad_number',
        `${path}.number`,
        `level number ${level.number} must be a whole number from 1`,
      );
    } else {
      const earlier = seen.get(level.number);
      if (earlier !== undefined) {
        report(
          'levels.duplicate_number',
          `${path}.number`,
          `level ${level.number} is defined twice (levels[${earlier}])`,
        );
      } else {
        seen.set(level.number, i);
      }
    }
    if (!COLOUR.test(level.colour)) {
      report('levels.bad_colour', `${path}.colour`, `colour "${level.colour}" must be written #RRGGBB`);
    }
    checkText(level.name, `${path}.name`, report);
    checkText(level.description, `${path}.description`, report);
    checkText(level.actions.advisory, `${path}.actions.advisory`, report);
    checkChecklist(level.actions.checklist, `${path}.actions.checklist`, report);
  });

  // A gap is only worth reporting once every number is valid and unique; otherwise it restates those issues.
  const numbers = [...seen.keys()].sort((a, b) => a - b);
  const numbersSound = numbers.length === scheme.levels.length;
  if (numbersSound && numbers.some((n, i) => n !== i + 1)) {
    report(
      'levels.not_contiguous',
      'levels',
      `levels must be numbered 1 to ${numbers.length} without gaps; found ${numbers.join(', ')}`,
    );
  }
  return issues;
}

/** Throws LevelsError with the first problem's code (and all of them in `issues`) unless the scheme is sound. */
export function assertValidScheme(scheme: Scheme): void {
  const issues = validateScheme(scheme);
  const [first] = issues;
  if (first) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new LevelsError(first.code, `${first.path}: ${first.message}${more}`, issues);
  }
}

/** The level with this number. Throws LevelsError 'levels.level_outside_scheme' when the scheme has none. */
export function findLevel(scheme: Scheme, number: number): Level {
  const level = scheme.levels.find((l) => l.number === number);
  if (!level) {
    const known = scheme.levels.map((l) => l.number).join(', ');
    throw new LevelsError(
      'levels.level_outside_scheme',
      `level ${number} is not in scheme "${scheme.id}" (levels: ${known || 'none'})`,
    );
  }
  return level;
}

type Report = (code: SchemeIssue['code'], path: string, message: string) => void;

function checkText(text: LocalizedText, path: string, report: Report): void {
  const entries = Object.entries(text);
  if (!entries.some(([, value]) => value.trim() !== ''))
    report('levels.missing_text', path, 'needs text in at least one language');
  for (const [tag, value] of entries) {
    if (!LANGUAGE_TAG.test(tag))
      report('levels.bad_language', `${path}.${tag}`, `"${tag}" is not a BCP 47 language tag`);
    else if (value.trim() === '') report('levels.missing_text', `${path}.${tag}`, `the ${tag} text is empty`);
  }
}

function checkChecklist(items: readonly ChecklistItem[], path: string, report: Report): void {
  const ids = new Set<string>();
  items.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (!SLUG.test(item.id)) {
      report(
        'levels.bad_checklist_item',
        `${at}.id`,
        `task id "${item.id}" must be lower-case letters, digits and dashes`,
      );
    } else if (ids.has(item.id)) {
      report('levels.duplicate_checklist_id', `${at}.id`, `task id "${item.id}" is used twice in this level`);
    }
    ids.add(item.id);
    if (item.title.trim() === '')
      report('levels.bad_checklist_item', `${at}.title`, 'the task needs a title');
  });
}
