-- Rotating the key-encryption key re-seals every stored key under the new one, the audit key included
-- (docs/keys.md). The application may therefore replace an audit key's ciphertext, and nothing else of
-- it: the key's id, its public half and when it was created are what checkpoints are verified against,
-- so a trigger refuses to change them, to anyone. A ciphertext is bound to its public key (AES-GCM
-- associated data), so a replaced one either opens as that very key under the KEK or not at all.
grant update (sealed_key) on audit_keys to guardian_app;

create function audit_keys_keep_identity() returns trigger language plpgsql as $$
begin
    if new.key_id is distinct from old.key_id
        or new.public_key is distinct from old.public_key
        or new.created_at is distinct from old.created_at then
        raise exception 'audit_keys: only sealed_key (re-sealing) and retired_at may change'
            using errcode = 'insufficient_privilege';
    end if;
    return new;
end $$;
create trigger audit_keys_keep_identity before update on audit_keys
    for each row execute function audit_keys_keep_identity();
