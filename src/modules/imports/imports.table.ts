export type ImportTable = {
  id: string;
  source: string;
  filename: string | null;
  status: string;
  total_rows: number;
  created_rows: number;
  updated_rows: number;
  rejected_rows: number;
  error: string | null;
  started_at: string;
  finished_at: string | null;
};

export type ImportRejectionTable = {
  import_id: string;
  row_number: number;
  code: string;
  field: string | null;
  message: string;
};
