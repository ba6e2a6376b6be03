package review

import (
	"strings"
	"testing"

	"github.com/sgc-dev/sgc/internal/testkit"
)

// TestApprovalsKeepPriorOwners: a change that drops a group's owner and
// changes or adds its flows still asks that owner, as GitHub asks the
// base branch's code owners; a group that gains an owner asks it too.
func TestApprovalsKeepPriorOwners(t *testing.T) {
	old := testkit.Compile(t, map[string][]byte{"p.intent": []byte(`group pay "Payments" owner acme/payments
group db "Orders"
group web "Web" owner alice
pay -> db tcp/5432 because "payments store orders"
web -> db tcp/80 because "the site reads orders"
`)})
	cur := testkit.Compile(t, map[string][]byte{"p.intent": []byte(`group pay "Payments"
group db "Orders"
group web "Web" owner bob
pay -> db tcp/5433 because "payments store orders"
web -> pay tcp/443 because "the site calls payments"
`)})
	got := map[string]string{}
	for _, a := range Compare(old, cur).Approvals() {
		got[a.Owner] = strings.Join(a.Changes, "; ")
	}
	for _, want := range []struct{ owner, change string }{
		{"acme/payments", "changed pay -> db"}, // dropped in the change, asked still
		{"acme/payments", "added web -> pay"},  // a flow into the group it owned
		{"alice", "added web -> pay"},          // web's owner before
		{"bob", "added web -> pay"},            // and after
		{"alice", "removed web -> db"},         // a removed flow, by its old groups
	} {
		if !strings.Contains(got[want.owner], want.change) {
			t.Errorf("%s: %q, want %q among the changes", want.owner, got[want.owner], want.change)
		}
	}
}
