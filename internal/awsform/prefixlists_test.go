package awsform

import (
	"strings"
	"testing"
)

// TestManagedPrefixLists holds the one list of AWS-managed prefix lists to
// its form: unique names, each found by FindManagedPrefixList, an AWS name
// under com.amazonaws (a Region placeholder or global), a weight within a
// list's 1-1000 entries.
func TestManagedPrefixLists(t *testing.T) {
	seen := map[string]bool{}
	for _, l := range ManagedPrefixLists {
		if seen[l.Name] {
			t.Errorf("%s listed twice", l.Name)
		}
		seen[l.Name] = true
		if got, ok := FindManagedPrefixList(l.Name); !ok || got != l {
			t.Errorf("FindManagedPrefixList(%q) = %v, %v", l.Name, got, ok)
		}
		if !strings.HasPrefix(l.AWSName, "com.amazonaws.{region}.") && !strings.HasPrefix(l.AWSName, "com.amazonaws.global.") {
			t.Errorf("%s: AWS name %q", l.Name, l.AWSName)
		}
		if !strings.HasSuffix(l.AWSName, "."+l.Name) {
			t.Errorf("%s: AWS name %q does not end in the policy's name", l.Name, l.AWSName)
		}
		if l.Weight < 1 || l.Weight > 1000 {
			t.Errorf("%s: weight %d", l.Name, l.Weight)
		}
	}
	if _, ok := FindManagedPrefixList("cloudfront"); ok {
		t.Error("a name AWS does not manage was found")
	}
	names := ManagedPrefixListNames()
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Errorf("names not sorted: %v", names)
		}
	}
}
