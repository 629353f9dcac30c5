import {
  ColumnUpdateNode,
  InsertQueryNode,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type UpdateQueryNode,
  ValueListNode,
  ValueNode,
  ValuesNode,
} from 'kysely';
import { ENCRYPTED_PREFIX, type FieldCipher } from '../lib/crypto.ts';

/**
 * Columns encrypted at rest, by name, in whichever table they appear: sensitive fields are named so
 * that the rule is visible in the schema. They can be written and read, never filtered or sorted in SQL.
 */
export const ENCRYPTED_COLUMNS = new Set([
  'vulnerabilities',
  'document_status',
  'totp_secret_enc',
  'boarding_key',
  'notes_enc',
  'free_text_enc',
  'subject_enc',
  'body_enc',
  'html_enc',
  'photo_enc',
  'sender_enc',
]);

class EncryptValues extends OperationNodeTransformer {
  constructor(private readonly cipher: FieldCipher) {
    super();
  }
  private enc(v: unknown): unknown {
    // Always encrypt, even text that looks encrypted: a user could type the prefix.
    return typeof v === 'string' ? this.cipher.encrypt(v) : v;
  }
  protected override transformInsertQuery(node: InsertQueryNode): InsertQueryNode {
    const base = super.transformInsertQuery(node);
    const columns = base.columns?.map((c) => c.column.name) ?? [];
    const targets = columns.map((name) => ENCRYPTED_COLUMNS.has(name));
    if (!targets.some(Boolean) || !base.values || !ValuesNode.is(base.values)) return base;
    const values = base.values.values.map((row) => {
      if (PrimitiveValueListNode.is(row)) {
        return PrimitiveValueListNode.create(row.values.map((v, i) => (targets[i] ? this.enc(v) : v)));
      }
      if (ValueListNode.is(row)) {
        return ValueListNode.create(
          row.values.map((v, i) => (targets[i] && ValueNode.is(v) ? ValueNode.create(this.enc(v.value)) : v)),
        );
      }
      return row;
    });
    return InsertQueryNode.cloneWith(base, { values: ValuesNode.create(values) });
  }
  protected override transformUpdateQuery(node: UpdateQueryNode): UpdateQueryNode {
    const base = super.transformUpdateQuery(node);
    if (!base.updates) return base;
    const updates = base.updates.map((u) => {
      const col = 'column' in u.column ? (u.column as { column: { name: string } }).column.name : undefined;
      if (col && ENCRYPTED_COLUMNS.has(col) && ValueNode.is(u.value)) {
        return ColumnUpdateNode.create(u.column, ValueNode.create(this.enc(u.value.value)));
      }
      return u;
    });
    return Object.freeze({ ...base, updates: Object.freeze(updates) });
  }
}

/**
 * Encrypts the sensitive columns on INSERT and UPDATE and decrypts every encrypted value in results,
 * so repositories read and write plain values while the database file holds only ciphertext.
 */
export class EncryptionPlugin implements KyselyPlugin {
  private readonly transformer: EncryptValues;
  constructor(private readonly cipher: FieldCipher) {
    this.transformer = new EncryptValues(cipher);
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const rows = args.result.rows;
    for (const row of rows) {
      for (const key in row) {
        const v = row[key];
        if (ENCRYPTED_COLUMNS.has(key) && typeof v === 'string' && v.startsWith(ENCRYPTED_PREFIX)) {
          row[key] = this.cipher.decrypt(v);
        }
      }
    }
    return args.result;
  }
}
