import type { Insertable, Selectable } from 'kysely';

// Timestamps are ISO-8601 UTC strings; booleans are 0/1 integers; JSON is stored as text.

export type LevelSchemeTable = {
  /** 1, 2, 3...: each edit or preset choice adds a version; earlier ones are kept. */
  version: number;
  scheme_id: string;
  /** The whole Scheme as JSON. */
  scheme: string;
  /** 1 on exactly one row: the scheme in use. */
  active: number;
  /** 'default' (first use), 'preset' or 'edit'. */
  source: string;
  created_at: string;
  created_by: string | null;
};

export type NamedAreaTable = {
  id: string;
  name: string;
  country: string;
  /** A GeoJSON Polygon or MultiPolygon, validated before it is stored. */
  geometry: string;
  created_at: string;
  created_by: string | null;
};

export type LevelDeclarationTable = {
  id: string;
  /** 'country' or 'area'. */
  scope: string;
  country: string;
  area_id: string | null;
  /** 0 lifts. */
  level: number;
  reason: string;
  effective_at: string;
  declared_at: string;
  declared_by: string;
  scheme_version: number;
};

export type LevelTaskTable = {
  id: string;
  declaration_id: string;
  post_id: string;
  checklist_item_id: string;
  title: string;
  description: string | null;
  /** 'open' or 'done'. */
  status: string;
  assignee_user_id: string | null;
  done_at: string | null;
  done_by: string | null;
  created_at: string;
  updated_at: string;
};

export type LevelSchemeRow = Selectable<LevelSchemeTable>;
export type NamedAreaRow = Selectable<NamedAreaTable>;
export type LevelDeclarationRow = Selectable<LevelDeclarationTable>;
export type LevelTaskRow = Selectable<LevelTaskTable>;
export type NewLevelTaskRow = Insertable<LevelTaskTable>;
