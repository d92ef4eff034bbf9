/**
 * The connector settings an agent starts with, spelled out rather than read from the source: per
 * user, reads always allowed, create and update need approval, delete disabled.
 */
export const EXPECTED_DEFAULT_CONNECTOR = {
  connectionMethod: 'per_user',
  permissions: {
    search_records: 'always_allow',
    get_record: 'always_allow',
    query_records: 'always_allow',
    describe_object: 'always_allow',
    create_record: 'needs_approval',
    update_record: 'needs_approval',
    delete_record: 'disabled',
  },
};
