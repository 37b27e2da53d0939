/**
 * The only ways the app's login writes to the audit schema (version 2). Both
 * run as the schema owner (SECURITY DEFINER) with a fixed search_path; the
 * app login holds SELECT on the tables and EXECUTE on these, nothing else.
 *
 * audit.append_events: one statement, so one round trip per batch. It locks
 * the chain head and appends only when the batch continues it (p_from is the
 * head size the caller built on); otherwise it returns the current head and
 * writes nothing, and the caller rebuilds the batch on it. An empty result
 * means the batch is committed. It waits for the head's lock at most 5 s (the
 * coverage bound): a session that holds it open (a transaction left open on
 * the app's own login) fails the batch, so its disclosures are withheld.
 *
 * audit.add_checkpoint: stores a signed note only under the tenant, size and
 * root its own body names, and never beyond the head; it returns the note
 * now stored at that size (the caller checks it is its own).
 */
export const APPEND_FUNCTION = `audit.append_events(text, bigint, bigint[], timestamptz[], text[], text[], text[], text[], text[], text[], text[], text[], smallint[], bigint[], text[], bytea, bytea, bytea)`;
export const CHECKPOINT_FUNCTION = `audit.add_checkpoint(text, bigint, bytea, timestamptz, text)`;

export const FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION audit.append_events(
     p_tenant text, p_from bigint,
     p_seq bigint[], p_recorded timestamptz[], p_action text[], p_outcome text[], p_uh text[], p_ph text[],
     p_types text[], p_canonical text[], p_leaf text[], p_sealed text[],
     p_level smallint[], p_idx bigint[], p_hash text[],
     p_frontier bytea, p_last_leaf bytea, p_root bytea)
   RETURNS TABLE (head_size bigint, head_frontier bytea, head_last_leaf bytea)
   LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET lock_timeout = '5s' AS $$
   DECLARE
     h record;
     n bigint := coalesce(cardinality(p_seq), 0);
   BEGIN
     SELECT size, frontier, last_leaf INTO h FROM audit.heads WHERE tenant = p_tenant FOR UPDATE;
     IF NOT FOUND THEN
       INSERT INTO audit.heads (tenant, size, frontier, last_leaf, root)
         VALUES (p_tenant, 0, ''::bytea, ''::bytea, sha256(''::bytea)) ON CONFLICT (tenant) DO NOTHING;
       SELECT size, frontier, last_leaf INTO h FROM audit.heads WHERE tenant = p_tenant FOR UPDATE;
     END IF;
     IF h.size <> p_from OR n = 0 THEN
       RETURN QUERY SELECT h.size, h.frontier, h.last_leaf;
       RETURN;
     END IF;
     IF EXISTS (SELECT 1 FROM unnest(p_seq) WITH ORDINALITY AS u(s, i) WHERE u.s <> p_from + u.i - 1)
        OR p_last_leaf <> decode(p_leaf[n], 'hex') THEN
       RAISE EXCEPTION 'audit batch does not continue the chain head' USING ERRCODE = 'check_violation';
     END IF;
     INSERT INTO audit.events (tenant, seq, recorded, action, outcome, user_hmac, patient_hmac, resource_types, canonical, leaf_hash, sealed)
       SELECT p_tenant, u.seq, u.recorded, u.action, u.outcome, decode(u.uh, 'hex'), decode(u.ph, 'hex'),
              ARRAY(SELECT json_array_elements_text(u.types::json)), decode(u.canonical, 'hex'), decode(u.leaf, 'hex'), decode(u.sealed, 'hex')
       FROM unnest(p_seq, p_recorded, p_action, p_outcome, p_uh, p_ph, p_types, p_canonical, p_leaf, p_sealed)
         AS u(seq, recorded, action, outcome, uh, ph, types, canonical, leaf, sealed);
     INSERT INTO audit.nodes (tenant, level, idx, hash)
       SELECT p_tenant, x.level, x.idx, decode(x.hash, 'hex') FROM unnest(p_level, p_idx, p_hash) AS x(level, idx, hash);
     UPDATE audit.heads SET size = p_from + n, frontier = p_frontier, last_leaf = p_last_leaf, root = p_root, updated_at = now()
       WHERE tenant = p_tenant;
   END $$`,
  `CREATE OR REPLACE FUNCTION audit.add_checkpoint(
     p_tenant text, p_size bigint, p_root bytea, p_signed_at timestamptz, p_note text)
   RETURNS text
   LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
   DECLARE
     h record;
   BEGIN
     IF split_part(p_note, E'\\n', 1) <> 'smart-chart-audit/' || p_tenant
        OR split_part(p_note, E'\\n', 2) <> p_size::text
        OR split_part(p_note, E'\\n', 3) <> encode(p_root, 'base64') THEN
       RAISE EXCEPTION 'checkpoint note does not name this tenant, size and root' USING ERRCODE = 'check_violation';
     END IF;
     SELECT size, root INTO h FROM audit.heads WHERE tenant = p_tenant;
     IF NOT FOUND OR p_size > h.size OR (p_size = h.size AND p_root <> h.root) THEN
       RAISE EXCEPTION 'checkpoint is not for a head of this log' USING ERRCODE = 'check_violation';
     END IF;
     INSERT INTO audit.checkpoints (tenant, tree_size, root, signed_at, note)
       VALUES (p_tenant, p_size, p_root, p_signed_at, p_note) ON CONFLICT DO NOTHING;
     RETURN (SELECT note FROM audit.checkpoints WHERE tenant = p_tenant AND tree_size = p_size);
   END $$`,
];
