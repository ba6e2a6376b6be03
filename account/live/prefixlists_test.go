package live

import "testing"

// TestManagedPrefixListID: a regional name matches the list of the one
// Region an export holds, a global one itself; lists not owned by AWS,
// malformed ids, names with more segments, and two Regions' lists give
// no answer.
func TestManagedPrefixListID(t *testing.T) {
	e := &Export{PrefixLists: []PrefixList{
		{"pl-63a5400a", "com.amazonaws.eu-west-1.s3", "AWS"},
		{"pl-0123abcd", "com.amazonaws.global.cloudfront.origin-facing", "AWS"},
		{"pl-11112222", "com.amazonaws.eu-west-1.s3express", "AWS"},
		{"pl-22223333", "com.amazonaws.eu-west-1.ipv6.vpc-lattice", "AWS"},
		{"pl-33334444", "com.amazonaws.eu-west-1.dynamodb", "111122223333"},
		{"not-an-id", "com.amazonaws.eu-west-1.vpc-lattice", "AWS"},
	}}
	for _, tc := range []struct {
		name, id string
	}{
		{"com.amazonaws.{region}.s3", "pl-63a5400a"},
		{"com.amazonaws.global.cloudfront.origin-facing", "pl-0123abcd"},
		{"com.amazonaws.{region}.ipv6.vpc-lattice", "pl-22223333"},
		{"com.amazonaws.{region}.vpc-lattice", ""}, // its one entry has a malformed id; the ipv6 one is not it
		{"com.amazonaws.{region}.dynamodb", ""},    // not owned by AWS
	} {
		id, ok := e.ManagedPrefixListID(tc.name)
		if id != tc.id || ok != (tc.id != "") {
			t.Errorf("%s: %q, %v; want %q", tc.name, id, ok, tc.id)
		}
	}
	e.PrefixLists = append(e.PrefixLists, PrefixList{"pl-44445555", "com.amazonaws.us-east-1.s3", "AWS"})
	if id, ok := e.ManagedPrefixListID("com.amazonaws.{region}.s3"); ok {
		t.Errorf("two Regions' S3 lists gave %s", id)
	}
}
