-- Every photo of a deposit (issue 13): a Telegram album is one item with several photos. photo_file_id
-- keeps the first (what existing readers show); photo_file_ids holds them all, in the order sent.
alter table deposits
  add column photo_file_ids text[] not null default '{}'
    check (cardinality(photo_file_ids) <= 10 and array_position(photo_file_ids, null) is null);
update deposits set photo_file_ids = array[photo_file_id] where photo_file_id is not null;
